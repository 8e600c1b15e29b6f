//! Snapshot tests of every output format for the fixtures in tests/fixtures/render: `full` and
//! `concise` per fixture, every format over the whole set as one run.

use std::path::{Path, PathBuf};

use kestra_lint::diagnostic::Severity;
use kestra_lint::engine::{lint_path, LintOptions};
use kestra_lint::report::{render, render_with, OutputFormat, RenderContext, Style};

fn render_fixture(name: &str, format: OutputFormat) -> String {
    let path = Path::new("tests/fixtures/render").join(name);
    let report = lint_path(&path, &LintOptions::default()).expect("fixture is readable");
    render(format, &[report], &Style::plain())
}

macro_rules! snapshot_both {
    ($test:ident, $file:expr) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(
                concat!(stringify!($test), "_full"),
                render_fixture($file, OutputFormat::Full)
            );
            insta::assert_snapshot!(
                concat!(stringify!($test), "_concise"),
                render_fixture($file, OutputFormat::Concise)
            );
        }
    };
}

snapshot_both!(duplicate_ids, "duplicate_ids.yml");
snapshot_both!(bad_ids, "bad_ids.yml");
snapshot_both!(yaml_problems, "yaml_problems.yml");
snapshot_both!(unquoted_braces, "unquoted_braces.yml");
snapshot_both!(pebble, "pebble.yml");

/// Every fixture, linted as one run, with a fix attached to each K106 finding (as a rule that
/// offers a fix would) so the formats that carry fixes show one.
fn fixture_set() -> Vec<kestra_lint::engine::FileReport> {
    use kestra_lint::diagnostic::{Edit, Fix};
    let mut names: Vec<_> = std::fs::read_dir("tests/fixtures/render")
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| {
            let path = Path::new("tests/fixtures/render").join(name);
            let mut report = lint_path(&path, &LintOptions::default()).unwrap();
            for diag in &mut report.diagnostics {
                if diag.code == "K106" {
                    let span = diag.primary.span.clone();
                    let lower = report.source.text[span.clone()].to_lowercase();
                    diag.fix = Some(Fix::safe(
                        "lower-case the namespace",
                        vec![Edit {
                            span,
                            content: lower,
                        }],
                    ));
                }
            }
            report
        })
        .collect()
}

fn render_set(format: OutputFormat) -> String {
    let ctx = RenderContext {
        style: Style::plain(),
        fail_on: Severity::Error,
        cwd: PathBuf::from("/project"),
        unsafe_fixes: false,
    };
    render_with(format, &fixture_set(), &ctx)
}

macro_rules! snapshot_set {
    ($test:ident, $format:expr) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), render_set($format));
        }
    };
}

snapshot_set!(all_full, OutputFormat::Full);
snapshot_set!(all_concise, OutputFormat::Concise);
snapshot_set!(all_json, OutputFormat::Json);
snapshot_set!(all_json_lines, OutputFormat::JsonLines);
snapshot_set!(all_github, OutputFormat::Github);
snapshot_set!(all_gitlab, OutputFormat::Gitlab);
snapshot_set!(all_junit, OutputFormat::Junit);

/// SARIF without the rule table and rule indexes, which change whenever a rule is added; the
/// round-trip tests in tests/formats.rs check those. With `KESTRA_LINT_SARIF_DIR` set, the
/// complete document is also written there for CI's SARIF validator.
#[test]
fn all_sarif() {
    let text = render_set(OutputFormat::Sarif);
    if let Some(dir) = std::env::var_os("KESTRA_LINT_SARIF_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join("fixtures.sarif"), &text).unwrap();
    }
    let mut log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &mut log["runs"][0];
    let driver = &mut run["tool"]["driver"];
    driver["rules"] = serde_json::json!("[every rule: see tests/formats.rs]");
    driver["version"] = serde_json::json!("[version]");
    driver["semanticVersion"] = serde_json::json!("[version]");
    for result in run["results"].as_array_mut().unwrap() {
        result.as_object_mut().unwrap().shift_remove("ruleIndex");
    }
    insta::assert_snapshot!("all_sarif", serde_json::to_string_pretty(&log).unwrap());
}
