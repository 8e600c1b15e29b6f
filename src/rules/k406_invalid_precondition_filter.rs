use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K406",
    name: "invalid-precondition-filter",
    severity: Severity::Error,
    summary: "A Flow trigger filter has `value`/`values` its `type` does not take, or lacks them",
    docs: r#"## What it does
Checks each filter of a Flow trigger's `preconditions.where[].filters`: the types `EQUAL_TO`,
`NOT_EQUAL_TO`, `IS_NULL`, `IS_NOT_NULL`, `IS_TRUE`, `IS_FALSE`, `STARTS_WITH`, `ENDS_WITH`, `REGEX`
and `CONTAINS` need `value` and take no `values`; `IN` and `NOT_IN` need `values` (a list) and
take no `value`.

## Why
Kestra refuses the flow: `` `value` cannot be null for type <T> ``, `` `value` must be null for type
<T> ``, `` `values` cannot be null for type <T> `` or `` `values` must be null for type <T> ``
(PreconditionFilterValidator, Kestra 1.x; it reports the first of these). Kestra 2.0 replaces
`preconditions` by `dependsOn`.

## Example
```yaml
      where:
        - id: prod
          filters:
            - field: NAMESPACE
              type: IN
              value: prod          # K406
```
Use instead: `values: [prod, staging]`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only1x,
};

const NEEDS_VALUE: &[&str] = &[
    "EQUAL_TO",
    "NOT_EQUAL_TO",
    "IS_NULL",
    "IS_NOT_NULL",
    "IS_TRUE",
    "IS_FALSE",
    "STARTS_WITH",
    "ENDS_WITH",
    "REGEX",
    "CONTAINS",
];
const NEEDS_VALUES: &[&str] = &["IN", "NOT_IN"];

fn check_filter(filter: &Node, out: &mut Vec<Diagnostic>) {
    let Some(type_node) = filter.get("type") else {
        return;
    };
    let Some(ty) = type_node.scalar_text() else {
        return;
    };
    if !NEEDS_VALUE.contains(&ty) && !NEEDS_VALUES.contains(&ty) {
        return; // S004
    }
    let present = |key: &str| filter.entry(key).filter(|e| !e.value.is_null());
    let value = present("value");
    let values = present("values");
    let wants_value = NEEDS_VALUE.contains(&ty);
    // Kestra's order: `value` first, then `values`.
    let (message, span, help) = if wants_value && value.is_none() {
        (
            format!("`value` cannot be null for type {ty}"),
            type_node.span.clone(),
            format!(
                "add `value:`{}",
                if values.is_some() {
                    " (not `values`)"
                } else {
                    ""
                }
            ),
        )
    } else if !wants_value && value.is_some() {
        (
            format!("`value` must be null for type {ty}"),
            value.map_or(type_node.span.clone(), |e| e.key.span.clone()),
            format!("type {ty} takes a list in `values`"),
        )
    } else if !wants_value && values.is_none() {
        (
            format!("`values` cannot be null for type {ty}"),
            type_node.span.clone(),
            "add `values:` with a list".to_string(),
        )
    } else if wants_value && values.is_some() {
        (
            format!("`values` must be null for type {ty}"),
            values.map_or(type_node.span.clone(), |e| e.key.span.clone()),
            format!("type {ty} takes a single `value`"),
        )
    } else {
        return;
    };
    out.push(META.diag(message, span).with_help(help));
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for trigger in flow.triggers_of_type(types::FLOW_TRIGGER) {
            let wheres = trigger
                .node
                .get("preconditions")
                .and_then(|p| p.get("where"))
                .and_then(Node::as_seq);
            for w in wheres.unwrap_or_default() {
                for filter in w.get("filters").and_then(Node::as_seq).unwrap_or_default() {
                    check_filter(filter, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent_1_3};

    fn flow(filters: &str) -> String {
        format!("id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: up\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: p\n      where:\n        - id: w\n          filters:\n{filters}")
    }

    #[test]
    fn fires_on_value_for_in_and_missing_value() {
        assert_fires_1_3(
            "K406",
            &flow("            - field: NAMESPACE\n              type: IN\n              value: prod\n            - field: FLOW_ID\n              type: EQUAL_TO\n"),
            &[(17, 15), (19, 21)],
        );
    }

    #[test]
    fn silent_on_matching_filters() {
        assert_silent_1_3(
            "K406",
            &flow("            - field: NAMESPACE\n              type: IN\n              values: [prod]\n            - field: FLOW_ID\n              type: STARTS_WITH\n              value: etl\n"),
        );
    }
}
