use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity, Span};

pub struct Rule;

pub static META: RuleMeta = RuleMeta {
    code: "L002",
    name: "unknown-suppression-code",
    severity: Severity::Warning,
    summary: "A suppression comment names a code that is not a rule, or cannot be read",
    docs: r#"## What it does
Reports a code in a `# kestra-lint: ignore[…]` comment that is neither a rule code nor a family
prefix (`K`, `K1`, `B005`), and a `# kestra-lint:` comment that is not
`ignore[CODES]` or `ignore-file[CODES]`.

## Why
A typo in a suppression (`K012` for `K102`) silently suppresses nothing while looking as if it
did.

## Example
```yaml
tasks:
  - id: a   # kestra-lint: ignore[K012]   ← L002: no such rule
```
Use instead:
```yaml
tasks:
  - id: a   # kestra-lint: ignore[K102]
```
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Reported by the suppression pass ([`crate::suppress::finish`]).
    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

pub fn unknown(code: &str, span: Span) -> Diagnostic {
    META.diag(format!("unknown rule code `{code}` in a suppression"), span)
        .with_label("not a rule code or family")
        .with_help("run `kestra-lint rule --all` for the list of codes")
}

pub fn malformed(span: Span) -> Diagnostic {
    META.diag("cannot read this suppression comment", span)
        .with_label("malformed")
        .with_help("write `# kestra-lint: ignore[CODE, …] reason` or `# kestra-lint: ignore-file[CODE, …]`")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const FLOW: &str = "namespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n";

    #[test]
    fn fires_on_unknown_codes_and_malformed_comments() {
        let yaml =
            format!("id: f # kestra-lint: ignore[K012, Z]\n{FLOW}# kestra-lint: ignroe[K102]\n");
        assert_fires("L002", &yaml, &[(1, 29), (1, 35), (7, 1)]);
    }

    #[test]
    fn silent_on_known_codes_and_other_comments() {
        let yaml = format!("id: f # kestra-lint: ignore-file[K1] # plain comment\n{FLOW}");
        assert_silent("L002", &yaml);
        assert_silent(
            "L002",
            &format!("id: f\n{FLOW}# a comment about kestra-lint\n"),
        );
    }
}
