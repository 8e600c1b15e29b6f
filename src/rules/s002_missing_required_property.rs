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
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for f in ctx.schema_findings {
            match &f.kind {
                FindingKind::MissingRequired { property, owner } => {
                    let d = META
                        .diag(
                            format!("{owner} is missing required property `{property}`"),
                            f.span.clone(),
                        )
                        .with_label(format!("needs `{property}`"));
                    out.push(match misspelt_as(ctx, &f.pointer, property) {
                        Some((typo, span)) => d
                            .with_secondary(span, format!("`{typo}` looks like a typo of it"))
                            .with_help(format!("rename `{typo}` to `{property}`")),
                        None => d.with_help(format!(
                            "add `{property}:` here (a plugin default on the server can also supply it)"
                        )),
                    });
                }
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

/// An unknown key of the same object whose closest known property is `property`.
fn misspelt_as<'a>(
    ctx: &'a Context<'_>,
    object: &str,
    property: &str,
) -> Option<(&'a str, crate::diagnostic::Span)> {
    ctx.schema_findings.iter().find_map(|f| match &f.kind {
        FindingKind::UnknownProperty {
            name, suggestion, ..
        } if suggestion.as_deref() == Some(property)
            && f.pointer.rsplit_once('/').map(|(p, _)| p) == Some(object) =>
        {
            Some((name.as_str(), f.span.clone()))
        }
        _ => None,
    })
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
    fn points_at_the_typo() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    mesage: hi\n";
        let (_, diags) = crate::rules::test_support::lint(yaml);
        let d = diags.iter().find(|d| d.code == "S002").unwrap();
        assert_eq!(d.help.as_deref(), Some("rename `mesage` to `message`"));
        assert_eq!(d.secondary[0].message, "`mesage` looks like a typo of it");
    }

    #[test]
    fn silent_when_a_default_names_the_old_type() {
        // After `--fix` renames the task's alias, a default written with the old name still applies.
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.flow.Subflow\ntaskDefaults:\n  - type: io.kestra.core.tasks.flows.Flow\n    values:\n      flowId: child\n      namespace: n\n";
        assert_silent("S002", yaml);
    }

    #[test]
    fn silent_when_a_plugin_default_supplies_it() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\npluginDefaults:\n  - type: io.kestra.plugin.core.log\n    values:\n      message: default\n";
        assert_silent("S002", yaml);
    }
}
