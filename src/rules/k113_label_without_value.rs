use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K113",
    name: "label-without-value",
    severity: Severity::Error,
    summary: "A label written as a map entry with no value (or a list or mapping as its value)",
    docs: r#"## What it does
Reports an entry of a `labels` mapping — the flow's, a trigger's, or a Subflow/ForEachItem
task's — whose value is empty (`owner:`), `null`, a list or a mapping.

## Why
Kestra reads a labels mapping entry by entry and accepts only text, numbers and booleans as
values: anything else is refused when the flow is saved (`Unsupported type for key: owner,
value: null`). An empty value is usually a label whose value was forgotten.

## Example
```yaml
labels:
  owner:            # K113
  team: data
```
Use instead: `owner: alice` (or quote an empty text: `owner: ""`).
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

fn check_labels(owner: &Node, what: &str, out: &mut Vec<Diagnostic>) {
    let Some(entries) = owner.get("labels").and_then(Node::as_map) else {
        return;
    };
    for e in entries {
        let Some(key) = e.key_str() else { continue };
        let found = if e.value.is_null() {
            "null"
        } else if e.value.as_map().is_some() || e.value.as_seq().is_some() {
            e.value.kind_name()
        } else {
            continue;
        };
        let shown = if found == "null" { "null" } else { "…" };
        out.push(
            META.diag(
                format!("Unsupported type for key: {key}, value: {shown}"),
                e.key.span.clone(),
            )
            .with_label(format!("label of {what} with {found} as its value"))
            .with_help("a label's value is text, a number or a boolean; write it after the colon (`\"\"` for an empty text)"),
        );
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        check_labels(flow.root, "the flow", out);
        for trigger in &flow.triggers {
            check_labels(trigger.node, "a trigger", out);
        }
        for task in &flow.tasks {
            if task.type_name().is_some_and(types::is_subflow_call) {
                check_labels(task.node, "the subflow executions", out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const TASKS: &str =
        "tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";

    #[test]
    fn fires_on_empty_null_and_nested_values() {
        let yaml = format!(
            "id: f\nnamespace: n\nlabels:\n  owner:\n  team: ~\n  deep:\n    a: b\n{TASKS}"
        );
        assert_fires("K113", &yaml, &[(4, 3), (5, 3), (6, 3)]);
        assert_eq!(
            messages("K113", &yaml)[0],
            "Unsupported type for key: owner, value: null"
        );
    }

    #[test]
    fn silent_on_text_numbers_booleans_and_list_form() {
        assert_silent(
            "K113",
            &format!("id: f\nnamespace: n\nlabels:\n  owner: alice\n  empty: \"\"\n  n: 3\n  b: true\n{TASKS}"),
        );
        assert_silent(
            "K113",
            &format!("id: f\nnamespace: n\nlabels:\n  - key: owner\n    value: alice\n{TASKS}"),
        );
    }
}
