//! JUnit XML: one test suite per run, one test case per linted flow. A flow with a finding at
//! or above the fail level (`--fail-on`) fails, listing all of its findings; other findings go
//! to the test case's `system-out`.

use std::fmt::Write as _;

use super::common::xml_escape;
use super::{concise, RenderContext, Style};
use crate::diagnostic::Severity;
use crate::engine::FileReport;

fn plural(n: usize, word: &str) -> String {
    if n == 1 || word == "info" {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn render(out: &mut String, files: &[FileReport], ctx: &RenderContext) {
    let flows: Vec<&FileReport> = files.iter().filter(|f| f.is_flow).collect();
    let failed = |f: &FileReport| f.diagnostics.iter().any(|d| d.severity >= ctx.fail_on);
    let failures = flows.iter().filter(|f| failed(f)).count();
    let counts = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\"",
        flows.len()
    );
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"kestra-lint\" {counts}>");
    let _ = writeln!(out, "  <testsuite name=\"kestra-lint\" {counts}>");
    let plain = Style::plain();
    for file in flows {
        let path = xml_escape(&file.source.display_path());
        let _ = write!(
            out,
            "    <testcase name=\"{path}\" classname=\"kestra-lint\" file=\"{path}\""
        );
        if file.diagnostics.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let mut lines = String::new();
        for diag in &file.diagnostics {
            concise::render(&mut lines, &file.source, diag, &plain, false);
        }
        let lines = xml_escape(&lines).replace("&#10;", "\n");
        if failed(file) {
            let count = |s: Severity| file.diagnostics.iter().filter(|d| d.severity == s).count();
            let summary: Vec<String> = [
                (Severity::Error, "error"),
                (Severity::Warning, "warning"),
                (Severity::Info, "info"),
            ]
            .iter()
            .filter(|(s, _)| count(*s) > 0)
            .map(|(s, word)| plural(count(*s), word))
            .collect();
            let first = file
                .diagnostics
                .iter()
                .find(|d| d.severity >= ctx.fail_on)
                .map_or("", |d| d.code);
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{first}\">{lines}</failure>",
                xml_escape(&summary.join(", ")),
            );
        } else {
            let _ = writeln!(out, "      <system-out>{lines}</system-out>");
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
}
