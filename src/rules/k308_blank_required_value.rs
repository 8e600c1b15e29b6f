use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K308",
    name: "blank-required-value",
    severity: Severity::Error,
    summary: "A required text of Switch, Subflow or ForEachItem is empty",
    docs: r#"## What it does
Reports an empty or blank `value` on a `Switch` (`@NotBlank`), and an empty `items`, `namespace` or
`flowId` on a `ForEachItem` or `namespace` on a `Subflow` (`@NotEmpty`). The schema says these are
strings and that they are required; an empty string passes both checks.

## Why
Kestra refuses the flow: `must not be blank` / `must not be empty` (Kestra 1.x and 2.0).

## Example
```yaml
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: ""              # K308
```
Use instead: `value: "{{ inputs.kind }}"`.
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
        for task in &flow.tasks {
            let Some(ty) = task.type_name() else { continue };
            // (property, blank also refused)
            let props: &[(&str, bool)] = match types::canonical(ty) {
                types::SWITCH => &[("value", true)],
                types::FOR_EACH_ITEM => {
                    &[("items", false), ("namespace", false), ("flowId", false)]
                }
                types::SUBFLOW => &[("namespace", false)],
                _ => continue,
            };
            for (prop, blank) in props {
                let Some(node) = task.node.get(prop) else {
                    continue;
                };
                let Some(text) = node.as_str() else { continue };
                let bad = if *blank {
                    text.trim().is_empty()
                } else {
                    text.is_empty()
                };
                if !bad {
                    continue;
                }
                let what = if *blank { "blank" } else { "empty" };
                out.push(
                    META.diag(format!("`{prop}` must not be {what}"), node.span.clone())
                        .with_label(format!("{what} `{prop}`"))
                        .with_help(format!("give `{prop}` a value")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_blank_switch_value_and_empty_subflow_namespace() {
        assert_fires(
            "K308",
            "id: f\nnamespace: n\ntasks:\n  - id: s\n    type: io.kestra.plugin.core.flow.Switch\n    value: \" \"\n    defaults:\n      - id: d\n        type: io.kestra.plugin.core.log.Log\n        message: m\n  - id: c\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: \"\"\n    flowId: x\n",
            &[(6, 12), (13, 16)],
        );
    }

    #[test]
    fn silent_on_values() {
        assert_silent(
            "K308",
            "id: f\nnamespace: n\ntasks:\n  - id: c\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: n2\n    flowId: x\n",
        );
    }
}
