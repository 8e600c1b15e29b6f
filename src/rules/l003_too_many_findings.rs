use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "L003",
    name: "too-many-findings",
    severity: Severity::Warning,
    summary: "A file had more findings than the limits; the rest are counted, not listed",
    docs: r#"## What it does
Closes a file's findings when there are more than `max-findings-per-rule` (200 by default) of one
rule, or more than `max-findings-per-file` (1,000 by default) in the file: the first ones are
reported, and this one finding says how many more of each rule were left out and points at the
first of them. It is as severe as the worst finding it stands for, so the exit code is the same
as without the limits.

## Why
A generated or broken file can hold hundreds of thousands of findings (one per anchor, one per
id); listing them all makes reports of gigabytes and helps no one. Fixing the first ones usually
fixes the rest.

## Example
A file with 5,000 invalid task ids → 200 K107 findings, then
`L003: 4800 more findings in this file not shown (4800 K107)`.
Set `max-findings-per-rule = 0` and `max-findings-per-file = 0` (or the flags of the same names)
to list everything.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// Added by the engine when it caps a file's findings ([`crate::limits::cap`]).
pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

#[cfg(test)]
mod tests {
    use crate::engine::{lint_source, LintOptions};
    use crate::source::SourceFile;

    fn flow(tasks: usize) -> String {
        let mut yaml = String::from("id: f\nnamespace: n\ntasks:\n");
        for i in 0..tasks {
            yaml.push_str(&format!(
                "  - id: bad id {i}\n    type: io.kestra.plugin.core.log.Log\n    message: x\n"
            ));
        }
        yaml
    }

    fn codes(tasks: usize) -> Vec<&'static str> {
        let source = SourceFile::new("f.yml", flow(tasks));
        let result = lint_source(&source, &LintOptions::default());
        result.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn fires_once_past_the_limit() {
        let codes = codes(250);
        assert_eq!(codes.iter().filter(|c| **c == "K107").count(), 200);
        assert_eq!(codes.iter().filter(|c| **c == "L003").count(), 1);
        assert_eq!(codes.last(), Some(&"L003"));
    }

    #[test]
    fn silent_within_the_limit() {
        let codes = codes(20);
        assert_eq!(codes.iter().filter(|c| **c == "K107").count(), 20);
        assert!(!codes.contains(&"L003"));
    }
}
