use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "Y007",
    name: "file-too-large",
    severity: Severity::Error,
    summary: "The file is larger than the size limit and was not linted",
    docs: r#"## What it does
Reports a YAML file larger than the size limit (10 MiB by default) without reading it.

## Why
Real flows are a few kilobytes. A file this large is almost always generated data or a mistake,
and reading it would slow every run (a pre-commit hook must stay fast).

## Example
A 50 MB `data.yml` in the flows folder → Y007. Move the data out of the flows folder, or exclude it.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// Reported by the engine before reading; the rule itself has nothing to visit.
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

#[cfg(test)]
mod tests {
    use crate::engine::{lint_path, LintOptions};

    fn codes(size: usize, limit: u64) -> Vec<&'static str> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.yml");
        let mut text = "id: f\nnamespace: n\ntasks: []\n".to_string();
        text.push_str(&"#".repeat(size));
        std::fs::write(&path, text).unwrap();
        let options = LintOptions {
            max_file_size: limit,
            ..LintOptions::default()
        };
        let report = lint_path(&path, &options).unwrap();
        report.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn fires_over_the_limit() {
        assert_eq!(codes(200, 100), ["Y007"]);
    }

    #[test]
    fn silent_under_the_limit() {
        assert!(!codes(10, 1000).contains(&"Y007"));
    }
}
