use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K306",
    name: "worker-group-in-working-dir",
    severity: Severity::Error,
    summary: "A task inside a WorkingDirectory sets its own `workerGroup`",
    docs: r#"## What it does
Reports `workerGroup` on a task listed directly in a `WorkingDirectory`'s `tasks`.

## Why
The children of a WorkingDirectory all run on the worker that runs the WorkingDirectory. Kestra
refuses the flow: `Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only
supported at the WorkingDirectory level` (WorkingDirectoryTaskValidator, Enterprise Edition; the
open-source edition refuses any worker group, see K206). Kestra 2.0 renames `workerGroup` to
`workerSelector`.

## Example
```yaml
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: py
        type: io.kestra.plugin.scripts.python.Script
        script: print(1)
        workerGroup:          # K306
          key: gpu
```
Use instead: set `workerGroup` on the WorkingDirectory itself.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only1x,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for (i, wd) in flow.tasks.iter().enumerate() {
            if !wd
                .type_name()
                .is_some_and(|t| types::is(t, types::WORKING_DIRECTORY))
            {
                continue;
            }
            for child in flow
                .tasks
                .iter()
                .filter(|t| t.parent == Some(i) && t.container == "tasks")
            {
                let Some(entry) = child.node.entry("workerGroup") else {
                    continue;
                };
                if entry.value.is_null() {
                    continue;
                }
                out.push(
                    META.diag(
                        "Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only supported at the WorkingDirectory level",
                        entry.key.span.clone(),
                    )
                    .with_label("worker group on a sub-task")
                    .with_secondary(wd.anchor_span(), "set it on this WorkingDirectory instead")
                    .with_help("move `workerGroup` to the WorkingDirectory task"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent_1_3};

    const FLOW: &str = "id: f\nnamespace: n\ntasks:\n  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n      - id: py\n        type: io.kestra.plugin.scripts.python.Script\n        script: print(1)\n        workerGroup:\n          key: gpu\n";

    #[test]
    fn fires_on_a_child_worker_group() {
        assert_fires_1_3("K306", FLOW, &[(10, 9)]);
    }

    #[test]
    fn silent_on_the_working_directory_itself() {
        assert_silent_1_3(
            "K306",
            "id: f\nnamespace: n\ntasks:\n  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    workerGroup:\n      key: gpu\n    tasks:\n      - id: py\n        type: io.kestra.plugin.scripts.python.Script\n        script: print(1)\n",
        );
    }
}
