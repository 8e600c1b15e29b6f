//! Fix application on any text: a fix never turns YAML that parses into YAML that does not,
//! and never touches the text outside the span it targets.
#![no_main]

use kestra_lint::engine::{self, LintOptions};
use kestra_lint::fix;
use kestra_lint::source::SourceFile;
use kestra_lint::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = LintOptions {
        force_flow: true,
        ..LintOptions::default()
    };
    let source = SourceFile::new("flow.yml", text.to_string());
    let result = engine::lint_source(&source, &options);
    let parsed = yaml::parse(text).syntax_error.is_none();
    let groups: Vec<_> = result
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .map(|f| f.edits.clone())
        .collect();
    // Each fix alone: the text before its first edit and after its last one is unchanged.
    for group in &groups {
        let (out, applied) = fix::apply(text, std::slice::from_ref(group));
        if applied == 0 {
            continue;
        }
        let start = group.iter().map(|e| e.span.start).min().unwrap_or(0);
        let end = group.iter().map(|e| e.span.end).max().unwrap_or(0);
        assert_eq!(&out[..start], &text[..start], "text before the fix changed");
        assert!(out.ends_with(&text[end..]), "text after the fix changed");
    }
    // What --fix writes: YAML that parsed still parses.
    let (out, _) = fix::apply_keeping_yaml(text, &groups);
    if parsed {
        assert!(
            yaml::parse(&out).syntax_error.is_none(),
            "a fix broke the YAML:\n--- before\n{text}\n--- after\n{out}"
        );
    }
});
