use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::NodeKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K001",
    name: "missing-flow-property",
    severity: Severity::Error,
    summary: "The flow lacks `id`, `namespace` or a non-empty `tasks` list",
    docs: r#"## What it does
Reports a flow without `id`, without `namespace`, or whose `tasks` is missing, empty or not a list.

## Why
Kestra requires all three (`must not be null`, `tasks: must not be empty`); the flow cannot be
saved without them.

## Example
```yaml
id: hello
namespace: company.team
tasks: []            # K001
```
Use instead:
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: Hello
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

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        // Missing keys are reported on the first key of the flow.
        let top = flow
            .root
            .as_map()
            .and_then(|e| e.first())
            .map(|e| e.key.span.clone())
            .unwrap_or(0..0);
        for key in ["id", "namespace"] {
            if flow.entry(key).is_none() {
                out.push(
                    META.diag(format!("flow has no `{key}`"), top.clone())
                        .with_label(format!("`{key}` is required"))
                        .with_help(format!("add a top-level `{key}:` to the flow")),
                );
            }
        }
        let Some(tasks) = flow.entry("tasks") else {
            out.push(
                META.diag("flow has no `tasks`", top)
                    .with_label("`tasks` is required")
                    .with_help("add a `tasks:` list with at least one task"),
            );
            return;
        };
        let value = &tasks.value;
        match &value.kind {
            NodeKind::Seq(items) if items.is_empty() => out.push(
                META.diag("`tasks` must not be empty", value.span.clone())
                    .with_label("empty list")
                    .with_help("a flow needs at least one task"),
            ),
            NodeKind::Seq(_) => {}
            _ if value.is_null() => out.push(
                META.diag("`tasks` must not be empty", tasks.key.span.clone())
                    .with_label("no tasks here")
                    .with_help("a flow needs at least one task"),
            ),
            _ => out.push(
                META.diag(
                    format!(
                        "`tasks` must be a list of tasks, found {}",
                        value.kind_name()
                    ),
                    value.span.clone(),
                )
                .with_help("write each task as a list item starting with `- id:`"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    #[test]
    fn fires_on_missing_and_empty() {
        assert_eq!(
            messages("K001", "id: f\nnamespace: n\n"),
            ["flow has no `tasks`"]
        );
        assert_fires("K001", "id: f\nnamespace: n\ntasks: []\n", &[(3, 8)]);
        assert_fires("K001", "id: f\nnamespace: n\ntasks:\n", &[(3, 1)]);
        assert_eq!(
            messages("K001", "id: f\nnamespace: n\ntasks:\n  a: 1\n"),
            ["`tasks` must be a list of tasks, found a mapping"]
        );
    }

    #[test]
    fn silent_on_complete_flow() {
        assert_silent(
            "K001",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
        );
    }
}
