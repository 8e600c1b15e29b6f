use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K305",
    name: "working-dir-flowable-child",
    severity: Severity::Error,
    summary: "A WorkingDirectory holds a flowable or executor task",
    docs: r#"## What it does
Reports a task listed directly in a `WorkingDirectory`'s `tasks` that is not runnable: a core
flowable task (Parallel, Sequential, If, Switch, ForEach, Dag, Pause, AllowFailure, LoopUntil,
another WorkingDirectory…), a Subflow or ForEachItem, or a task the executor runs itself (Exit,
Labels, SetVariables, UnsetVariables). Other plugins' tasks are taken as runnable.

## Why
All children of a WorkingDirectory run on one worker in one folder, so they must be runnable
tasks. Kestra refuses the flow: `Only runnable tasks are allowed as children of a
WorkingDirectory task` (WorkingDirectoryTaskValidator, Kestra 1.x and 2.0).

## Example
```yaml
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: wait
        type: io.kestra.plugin.core.flow.Pause      # K305
```
Use instead: move the Pause before or after the WorkingDirectory.
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
                let (Some(ty), Some(ty_node)) = (child.type_name(), child.type_node()) else {
                    continue;
                };
                let canonical = types::canonical(ty);
                if !types::NOT_RUNNABLE.contains(&canonical) {
                    continue;
                }
                let short = canonical.rsplit('.').next().unwrap_or(canonical);
                out.push(
                    META.diag(
                        "Only runnable tasks are allowed as children of a WorkingDirectory task",
                        ty_node.span.clone(),
                    )
                    .with_label(format!("`{short}` is not a runnable task"))
                    .with_secondary(wd.anchor_span(), "in this WorkingDirectory")
                    .with_help("move this task before or after the WorkingDirectory"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_a_flowable_child() {
        assert_fires(
            "K305",
            "id: f\nnamespace: n\ntasks:\n  - id: impossible\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n      - id: log\n        type: io.kestra.plugin.core.log.Log\n        message: Hello\n      - id: pause\n        type: io.kestra.plugin.core.flow.Pause\n        delay: PT5S\n",
            &[(11, 15)],
        );
    }

    #[test]
    fn silent_on_runnable_children_and_errors() {
        assert_silent(
            "K305",
            "id: f\nnamespace: n\ntasks:\n  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n      - id: py\n        type: io.kestra.plugin.scripts.python.Script\n        script: print(1)\n    errors:\n      - id: p\n        type: io.kestra.plugin.core.flow.Sequential\n        tasks:\n          - id: l\n            type: io.kestra.plugin.core.log.Log\n            message: m\n",
        );
    }
}
