use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K303",
    name: "switch-without-tasks",
    severity: Severity::Error,
    summary: "A Switch has neither cases nor defaults",
    docs: r#"## What it does
Reports a `Switch` task whose `cases` is missing or empty and whose `defaults` is missing or
empty. (Cases that exist but hold no task are K304.)

## Why
Kestra refuses the flow: `No task defined, neither cases or default have any tasks`
(SwitchTaskValidator, Kestra 1.x and 2.0).

## Example
```yaml
  - id: route
    type: io.kestra.plugin.core.flow.Switch      # K303
    value: "{{ inputs.kind }}"
    cases: {}
```
Use instead:
```yaml
    cases:
      CSV:
        - id: csv
          type: io.kestra.plugin.core.log.Log
          message: CSV
```
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// Missing, null, or an empty map/list.
pub fn is_empty(node: Option<&Node>) -> bool {
    match node {
        None => true,
        Some(n) => {
            n.is_null()
                || n.as_map().is_some_and(<[_]>::is_empty)
                || n.as_seq().is_some_and(<[_]>::is_empty)
        }
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for task in &flow.tasks {
            if !task
                .type_name()
                .is_some_and(|t| types::is(t, types::SWITCH))
            {
                continue;
            }
            if is_empty(task.node.get("cases")) && is_empty(task.node.get("defaults")) {
                out.push(
                    META.diag(
                        "No task defined, neither cases or default have any tasks",
                        task.anchor_span(),
                    )
                    .with_label("this Switch has nothing to run")
                    .with_help("add tasks under `cases.<value>` or `defaults`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_empty_cases_and_null_defaults() {
        assert_fires(
            "K303",
            "id: f\nnamespace: n\ntasks:\n  - id: impossible\n    type: io.kestra.plugin.core.flow.Switch\n    value: x\n    cases: {}\n    defaults: null\n",
            &[(4, 9)],
        );
    }

    #[test]
    fn silent_with_defaults_only() {
        assert_silent(
            "K303",
            "id: f\nnamespace: n\ntasks:\n  - id: s\n    type: io.kestra.plugin.core.flow.Switch\n    value: x\n    defaults:\n      - id: d\n        type: io.kestra.plugin.core.log.Log\n        message: m\n",
        );
    }
}
