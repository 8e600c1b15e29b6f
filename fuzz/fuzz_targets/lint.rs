//! Any bytes, linted as two files (so the cross-file rules run too), then rendered in every
//! output format and as statistics: nothing may panic, hang or allocate without bound.
#![no_main]

use std::path::Path;

use kestra_lint::diagnostic::Severity;
use kestra_lint::engine::{self, LintOptions};
use kestra_lint::report::{self, OutputFormat, RenderContext, Style};
use libfuzzer_sys::fuzz_target;

const FORMATS: [OutputFormat; 8] = [
    OutputFormat::Full,
    OutputFormat::Concise,
    OutputFormat::Json,
    OutputFormat::JsonLines,
    OutputFormat::Sarif,
    OutputFormat::Github,
    OutputFormat::Gitlab,
    OutputFormat::Junit,
];

fuzz_target!(|data: &[u8]| {
    let forced = LintOptions {
        force_flow: true,
        ..LintOptions::default()
    };
    let mut reports = vec![
        engine::lint_bytes(Path::new("flows/a.yml"), data.to_vec(), &forced),
        engine::lint_bytes(
            Path::new("flows/b.yml"),
            data.to_vec(),
            &LintOptions::default(),
        ),
    ];
    engine::cross_file(&mut reports, &forced, &[]);
    engine::dedupe_across_files(&mut reports);
    let ctx = RenderContext::new(Style::plain(), Severity::Warning);
    for format in FORMATS {
        let out = report::render_with(format, &reports, &ctx);
        if matches!(
            format,
            OutputFormat::Json | OutputFormat::Sarif | OutputFormat::Gitlab
        ) {
            // Machine formats must stay parseable whatever the findings say.
            assert!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                "{format:?} output is not JSON:\n{out}"
            );
        }
        let _ = report::statistics::render(format, &reports);
    }
});
