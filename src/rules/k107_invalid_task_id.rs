use super::ids::{check_id_node, is_valid_task_id, IdCheck};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K107",
    name: "invalid-task-id",
    severity: Severity::Error,
    summary: "A task has no id, or its id breaks Kestra's pattern",
    docs: r#"## What it does
Checks that every task in the tree has an `id` matching `^[a-zA-Z0-9][a-zA-Z0-9_-]*`. Dots are
not allowed in task ids (they are in flow and input ids).

## Why
Kestra refuses to save the flow (`id: must not be null`, `must match "..."`). Task ids are used
in expressions such as `outputs.<id>.value`, where a dot would split the name.

## Example
```yaml
tasks:
  - id: extract.data       # K107
    type: io.kestra.plugin.core.log.Log
    message: hi
```
Use instead: `id: extract_data`.
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
        let check = IdCheck {
            what: "task id",
            pattern: "^[a-zA-Z0-9][a-zA-Z0-9_-]*",
            valid: is_valid_task_id,
            max_len: None,
            lower: false,
        };
        for task in &flow.tasks {
            check_id_node(&META, &check, task.id_node(), task.anchor_span(), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_dot_and_missing_id() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: a.b\n    type: io.kestra.plugin.core.log.Log\n    message: m\n  - type: io.kestra.plugin.core.log.Log\n    message: m\n";
        assert_fires("K107", yaml, &[(4, 9), (7, 11)]);
    }

    #[test]
    fn silent_on_valid_ids() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: a_b-1\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";
        assert_silent("K107", yaml);
    }
}
