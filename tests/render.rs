//! Snapshot tests of the rendered `full` and `concise` output for the fixtures in
//! tests/fixtures/render.

use std::path::Path;

use kestra_lint::engine::{lint_path, LintOptions};
use kestra_lint::report::{render, OutputFormat, Style};

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
