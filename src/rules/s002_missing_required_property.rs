use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "S002",
    name: "missing-required-property",
    severity: Severity::Error,
    summary: "A task, trigger or other object lacks a required property or its `type`",
    docs: r#"## What it does
Reports a required property that is missing (a Log task without `message`, a Webhook without
`key`) and an object that has no `type`. A property supplied by the flow's `pluginDefaults` for
that type counts as present.

## Why
Kestra refuses the flow (`must not be null`). Plugin defaults set on the server or namespace can
also supply a property; the linter cannot see those.

## Example
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log      # S002: missing `message`
```
Use instead: add `message: Hello`.
"#,
    fixable: false,
    enabled_by_default: true,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for f in ctx.schema_findings {
            match &f.kind {
                FindingKind::MissingRequired { property, owner } => out.push(
                    META.diag(
                        format!("{owner} is missing required property `{property}`"),
                        f.span.clone(),
                    )
                    .with_label(format!("needs `{property}`"))
                    .with_help(format!(
                        "add `{property}:` here (a plugin default on the server can also supply it)"
                    )),
                ),
                FindingKind::MissingType { what } => out.push(
                    META.diag(format!("{what} has no `type`"), f.span.clone())
                        .with_label("no `type` here")
                        .with_help(format!(
                            "add the `type:` of the {what}, e.g. `io.kestra.plugin.core.log.Log`"
                        )),
                ),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    #[test]
    fn fires_on_missing_message_and_type() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n  - id: u\n    message: hi\n";
        assert_fires("S002", yaml, &[(5, 5), (6, 5)]);
        assert_eq!(
            messages("S002", yaml)[0],
            "`Log` task is missing required property `message`"
        );
    }

    #[test]
    fn silent_when_a_plugin_default_supplies_it() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\npluginDefaults:\n  - type: io.kestra.plugin.core.log\n    values:\n      message: default\n";
        assert_silent("S002", yaml);
    }
}
