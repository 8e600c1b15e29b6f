use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::schema::FindingKind;
use crate::yaml::ScalarStyle;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "D001",
    name: "deprecated-type-alias",
    severity: Severity::Warning,
    summary: "A plugin type written with an old alias",
    docs: r#"## What it does
Reports a `type` written with an old name that Kestra 1.x still accepts as an alias (e.g.
`io.kestra.core.tasks.log.Log`) — on tasks, triggers, conditions and plugin defaults — and
offers a safe fix to the canonical name. The object is validated as its canonical type.

## Why
Kestra 1.x reports "X is replaced by Y"; **Kestra 2.0 removes every alias**, so these flows stop
loading after the upgrade.

## Example
```yaml
  - id: hello
    type: io.kestra.core.tasks.log.Log          # D001
```
Fixed (`--fix`):
```yaml
  - id: hello
    type: io.kestra.plugin.core.log.Log
```
"#,
    fixable: true,
    enabled_by_default: true,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for f in ctx.schema_findings {
            let FindingKind::Alias { alias, canonical } = &f.kind else {
                continue;
            };
            // Replace the scalar's text, keeping its quotes.
            let quoted = ctx
                .flow
                .and_then(|flow| flow.root.pointer(&f.pointer))
                .and_then(|n| n.as_scalar())
                .is_some_and(|s| {
                    matches!(
                        s.style,
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
                    )
                });
            let span = if quoted && f.span.len() >= 2 {
                f.span.start + 1..f.span.end - 1
            } else {
                f.span.clone()
            };
            out.push(
                META.diag(
                    format!("`{alias}` is an old name for `{canonical}`"),
                    f.span.clone(),
                )
                .with_label("deprecated alias")
                .with_help(format!(
                    "use `{canonical}`; Kestra 2.0 no longer accepts the old name"
                ))
                .with_fix(Fix::safe(
                    format!("replace with `{canonical}`"),
                    vec![Edit {
                        span,
                        content: canonical.clone(),
                    }],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, lint};

    #[test]
    fn fires_with_a_fix_and_validates_as_canonical() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: \"io.kestra.core.tasks.log.Log\"\n    message: hi\n";
        assert_fires("D001", yaml, &[(5, 11)]);
        let (source, diags) = lint(yaml);
        let fix = diags
            .iter()
            .find(|d| d.code == "D001")
            .unwrap()
            .fix
            .clone()
            .unwrap();
        assert_eq!(
            &source.text[fix.edits[0].span.clone()],
            "io.kestra.core.tasks.log.Log"
        );
        assert!(diags.iter().all(|d| !d.code.starts_with('S')), "{diags:#?}");
    }

    #[test]
    fn fires_on_plugin_defaults_too() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\npluginDefaults:\n  - type: io.kestra.core.tasks.log.Log\n    values:\n      level: WARN\n";
        assert_fires("D001", yaml, &[(8, 11)]);
    }

    #[test]
    fn silent_on_canonical_names() {
        assert_silent("D001", "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n");
    }
}
