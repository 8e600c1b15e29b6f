use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};

pub struct Rule;

pub static META: RuleMeta = RuleMeta {
    code: "L001",
    name: "unused-suppression",
    severity: Severity::Warning,
    summary: "A suppression comment that suppresses nothing",
    docs: r#"## What it does
Reports a code in a `# kestra-lint: ignore[…]` or `ignore-file[…]` comment that hid no finding:
the problem was fixed, the comment sits on the wrong line, or the rule is not enabled.

## Why
Stale suppressions pile up and hide the next real problem on that line. Like ruff's RUF100, the
linter keeps its own suppressions honest.

## Example
```yaml
tasks:
  - id: hello   # kestra-lint: ignore[K102]   ← L001: no duplicate id here any more
    type: io.kestra.plugin.core.log.Log
    message: hi
```
Use instead:
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
```

## Fix
Safe: removes the unused codes, or the whole comment when none is left.
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Reported by the suppression pass ([`crate::suppress::finish`]), which sees every finding.
    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// An unused suppression of `codes` (already formatted); `disabled` lists those whose rule is
/// not enabled for the file.
pub fn diagnostic(codes: &str, disabled: &[&str], span: Span, fix: Option<Fix>) -> Diagnostic {
    let help = if disabled.is_empty() {
        "remove it, or move it to the line or node that has the finding".to_string()
    } else {
        format!(
            "not enabled here: {}; nothing to suppress",
            disabled
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let d = META
        .diag(format!("unused suppression for {codes}"), span)
        .with_label("suppresses nothing")
        .with_help(help);
    match fix {
        Some(fix) => d.with_fix(fix),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, lint};

    const DUP: &str = "id: f\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n  - id: a # kestra-lint: ignore[K102]\n    type: io.kestra.plugin.core.log.Log\n    message: y\n";

    #[test]
    fn fires_on_a_suppression_with_nothing_to_hide() {
        let yaml = "id: f # kestra-lint: ignore[K102, Y003] nothing wrong here\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n";
        assert_fires("L001", yaml, &[(1, 7)]);
        let (_, diags) = lint(yaml);
        let d = diags.iter().find(|d| d.code == "L001").unwrap();
        assert_eq!(d.message, "unused suppression for `K102`, `Y003`");
        // The safe fix removes the whole comment and the spaces before it.
        let edit = &d.fix.as_ref().unwrap().edits[0];
        assert_eq!((edit.span.start, edit.content.as_str()), (5, ""));
    }

    #[test]
    fn keeps_the_used_code_when_only_one_is_idle() {
        let yaml = DUP.replace("ignore[K102]", "ignore[K102, Y003]");
        let (source, diags) = lint(&yaml);
        let d = diags.iter().find(|d| d.code == "L001").unwrap();
        assert_eq!(d.message, "unused suppression for `Y003`");
        let edit = &d.fix.as_ref().unwrap().edits[0];
        assert_eq!(&source.text[edit.span.clone()], "K102, Y003");
        assert_eq!(edit.content, "K102");
    }

    #[test]
    fn silent_when_the_suppression_is_used() {
        assert_silent("L001", DUP);
        assert_silent("K102", DUP);
    }
}
