//! Helpers for rule tests: lint a YAML string and look at one code's findings.

use std::sync::Arc;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::engine::{lint_source, LintOptions};
use crate::source::SourceFile;

pub fn lint(yaml: &str) -> (SourceFile, Vec<Diagnostic>) {
    lint_with(&Settings::default(), "test.yml", yaml)
}

/// Lint with settings, as the file at `path`.
pub fn lint_with(settings: &Settings, path: &str, yaml: &str) -> (SourceFile, Vec<Diagnostic>) {
    let source = SourceFile::new(path, yaml.to_string());
    let options = LintOptions::for_settings(Arc::new(settings.clone()));
    let result = lint_source(&source, &options);
    (source, result.diagnostics)
}

/// Settings from a `kestra-lint.toml` text, as if the file were in `/repo`.
pub fn settings(toml: &str) -> Settings {
    let root = std::path::Path::new(if cfg!(windows) { "C:\\repo" } else { "/repo" });
    Settings::from_toml(&root.join("kestra-lint.toml"), toml, root).expect("valid test config")
}

/// Line/column of each diagnostic with `code`, linted with `settings`.
pub fn positions_with(settings: &Settings, code: &str, yaml: &str) -> Vec<(usize, usize)> {
    let (source, diags) = lint_with(settings, "test.yml", yaml);
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let lc = source.line_col(d.primary.span.start);
            (lc.line, lc.column)
        })
        .collect()
}

/// `assert_fires` for an opt-in rule: the rule is selected by a config text.
#[track_caller]
pub fn assert_fires_with(config: &str, code: &str, yaml: &str, expected: &[(usize, usize)]) {
    let got = positions_with(&settings(config), code, yaml);
    assert_eq!(got, expected, "{code} positions (line, column)");
}

/// `assert_silent` for an opt-in rule.
#[track_caller]
pub fn assert_silent_with(config: &str, code: &str, yaml: &str) {
    let got = positions_with(&settings(config), code, yaml);
    assert!(got.is_empty(), "{code} fired unexpectedly at {got:?}");
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

/// Lint several files together, cross-file rules included, and return the findings of `code`
/// as (path, line, column, message), in file order.
pub fn lint_files(files: &[(&str, &str)], code: &str) -> Vec<(String, usize, usize, String)> {
    lint_files_in_repo(files, &[], code)
}

/// [`lint_files`], with `repo` as the other flows of the repository (the repository index):
/// they are judged against, never reported.
pub fn lint_files_in_repo(
    files: &[(&str, &str)],
    repo: &[(&str, &str)],
    code: &str,
) -> Vec<(String, usize, usize, String)> {
    let options = LintOptions::default();
    let repo: Vec<crate::engine::RepoFlow> = repo
        .iter()
        .filter_map(|(path, yaml)| {
            let source = SourceFile::new(*path, yaml.to_string());
            Some(crate::engine::RepoFlow {
                path: path.to_string(),
                summary: lint_source(&source, &options).summary?,
            })
        })
        .collect();
    let mut reports: Vec<crate::engine::FileReport> = files
        .iter()
        .map(|(path, yaml)| {
            let source = SourceFile::new(*path, yaml.to_string());
            let result = lint_source(&source, &options);
            crate::engine::FileReport {
                source,
                diagnostics: result.diagnostics,
                is_flow: result.is_flow,
                summary: result.summary,
                hidden: result.hidden,
            }
        })
        .collect();
    crate::engine::cross_file(&mut reports, &options, &repo);
    reports
        .iter()
        .flat_map(|r| {
            r.diagnostics.iter().filter(|d| d.code == code).map(|d| {
                let lc = r.source.line_col(d.primary.span.start);
                (
                    r.source.display_path(),
                    lc.line,
                    lc.column,
                    d.message.clone(),
                )
            })
        })
        .collect()
}

/// The severity of each finding of `code`, linted with a config text (`""` for none).
pub fn severities(config: &str, code: &str, yaml: &str) -> Vec<crate::diagnostic::Severity> {
    let (_, diags) = lint_with(&settings(config), "test.yml", yaml);
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.severity)
        .collect()
}

/// A rule whose check arrives with Kestra 2.0: a warning with `target-version = "1.3"`, an error
/// on 2.0 (the default target, and when set explicitly).
#[track_caller]
pub fn assert_warning_on_1_x_error_on_2_0(code: &str, yaml: &str) {
    use crate::diagnostic::Severity;
    let on_1_x = severities(ON_1_3, code, yaml);
    assert!(
        !on_1_x.is_empty() && on_1_x.iter().all(|s| *s == Severity::Warning),
        "{code} on 1.x: {on_1_x:?}"
    );
    for config in ["", "target-version = \"2.0\""] {
        let on_2_0 = severities(config, code, yaml);
        assert!(
            !on_2_0.is_empty() && on_2_0.iter().all(|s| *s == Severity::Error),
            "{code} on 2.0 ({config:?}): {on_2_0:?}"
        );
    }
}

/// The config text of a run for a Kestra 1.3 server.
pub const ON_1_3: &str = "target-version = \"1.3\"";

/// Lint for Kestra 1.3.
pub fn lint_1_3(yaml: &str) -> (SourceFile, Vec<Diagnostic>) {
    lint_with(&settings(ON_1_3), "test.yml", yaml)
}

/// Line/column of each diagnostic with `code`, linted for Kestra 1.3.
pub fn positions_1_3(code: &str, yaml: &str) -> Vec<(usize, usize)> {
    positions_with(&settings(ON_1_3), code, yaml)
}

/// `assert_fires` on the 1.3 target.
#[track_caller]
pub fn assert_fires_1_3(code: &str, yaml: &str, expected: &[(usize, usize)]) {
    assert_eq!(
        positions_1_3(code, yaml),
        expected,
        "{code} positions on 1.3"
    );
}

/// `assert_silent` on the 1.3 target.
#[track_caller]
pub fn assert_silent_1_3(code: &str, yaml: &str) {
    let got = positions_1_3(code, yaml);
    assert!(
        got.is_empty(),
        "{code} fired unexpectedly on 1.3 at {got:?}"
    );
}

/// The messages of each diagnostic with `code` on the 1.3 target.
pub fn messages_1_3(code: &str, yaml: &str) -> Vec<String> {
    let (_, diags) = lint_with(&settings(ON_1_3), "test.yml", yaml);
    diags
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.clone())
        .collect()
}

/// The text after the fix of the first finding of `code` (on 2.0), and whether that fix is
/// safe; `None` when the finding has no fix.
pub fn fixed(code: &str, yaml: &str) -> Option<(String, bool)> {
    let (_, diags) = lint(yaml);
    let fix = diags.iter().find(|d| d.code == code)?.fix.clone()?;
    let safe = fix.applicability == crate::diagnostic::Applicability::Safe;
    Some((crate::fix::apply(yaml, &[fix.edits]).0, safe))
}
