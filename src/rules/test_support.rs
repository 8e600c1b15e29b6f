//! Helpers for rule tests: lint a YAML string and look at one code's findings.

use crate::diagnostic::Diagnostic;
use crate::engine::{lint_source, LintOptions};
use crate::source::SourceFile;

pub fn lint(yaml: &str) -> (SourceFile, Vec<Diagnostic>) {
    let source = SourceFile::new("test.yml", yaml.to_string());
    let result = lint_source(&source, &LintOptions::default());
    (source, result.diagnostics)
}

/// Line/column of each diagnostic with `code`.
pub fn positions(code: &str, yaml: &str) -> Vec<(usize, usize)> {
    let (source, diags) = lint(yaml);
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let lc = source.line_col(d.primary.span.start);
            (lc.line, lc.column)
        })
        .collect()
}

#[track_caller]
pub fn assert_fires(code: &str, yaml: &str, expected: &[(usize, usize)]) {
    let got = positions(code, yaml);
    assert_eq!(got, expected, "{code} positions (line, column)");
}

#[track_caller]
pub fn assert_silent(code: &str, yaml: &str) {
    let (_, diags) = lint(yaml);
    let hits: Vec<_> = diags.iter().filter(|d| d.code == code).collect();
    assert!(hits.is_empty(), "{code} fired unexpectedly: {hits:#?}");
}

/// The messages of each diagnostic with `code`.
pub fn messages(code: &str, yaml: &str) -> Vec<String> {
    let (_, diags) = lint(yaml);
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.clone())
        .collect()
}
