use super::ids::{item_ids, report_duplicates};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K102",
    name: "duplicate-task-id",
    severity: Severity::Error,
    summary: "Two tasks in one flow share an id",
    docs: r#"## What it does
Reports a task id used more than once anywhere in the flow: `tasks`, `errors`, `finally`,
`afterExecution`, listener tasks, and every task nested in a flowable task (Parallel, Switch cases,
If branches, Dag, WorkingDirectory, …).

## Why
Kestra refuses to save such a flow (`Duplicate task id with name [...]`): task ids name outputs
(`outputs.<id>`) and task runs, so they must be unique across the whole tree.

## Example
```yaml
tasks:
  - id: notify
    type: io.kestra.plugin.core.log.Log
    message: start
errors:
  - id: notify          # K102
    type: io.kestra.plugin.core.log.Log
    message: failed
```
Use instead:
```yaml
errors:
  - id: notify_failure
    type: io.kestra.plugin.core.log.Log
    message: failed
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
        report_duplicates(
            &META,
            "task id",
            item_ids(flow.tasks.iter().map(|t| &t.item)),
            "task ids must be unique across the whole flow, including errors, finally and nested tasks",
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_nested_and_error_duplicates() {
        assert_fires(
            "K102",
            r#"
id: f
namespace: company.team
tasks:
  - id: a
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: notify
        type: io.kestra.plugin.core.log.Log
        message: x
errors:
  - id: notify
    type: io.kestra.plugin.core.log.Log
    message: y
"#,
            &[(12, 9)],
        );
    }

    #[test]
    fn silent_on_unique_ids() {
        assert_silent(
            "K102",
            r#"
id: f
namespace: company.team
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: x
errors:
  - id: b
    type: io.kestra.plugin.core.log.Log
    message: y
"#,
        );
    }
}
