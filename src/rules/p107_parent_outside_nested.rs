use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P107",
    name: "parent-outside-nested",
    severity: Severity::Warning,
    summary: "`parent` or `parents` in a task that is not inside a flowable task",
    docs: r#"## What it does
Reports `parent.*` and `parents[…]` in a task that sits directly in the flow's `tasks`,
`errors`, `finally` or `afterExecution`, with no flowable task (`ForEach`, `Sequential`,
`Parallel`, `If`, …) around it. Values outside tasks and references whose missing value is
handled (`?? …`, `| default(…)`, `is defined`) are left alone.

## Why
`parent` and `parents` describe the task runs of the flowable tasks enclosing the current one
(`parent.taskrun.value` is the item of the enclosing loop). A top-level task has none, so the
expression fails at run time.

## Example
```yaml
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ parent.taskrun.value }}"      # P107: `log` has no parent task
```
Move the task into the flowable task whose run it should read.
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
        for s in ctx.templates {
            let Some(task) = s.task.and_then(|t| flow.tasks.get(t)) else {
                continue;
            };
            if task.parent.is_some() || !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            for r in pebble::references(&s.template) {
                if !matches!(r.root.as_str(), "parent" | "parents") || s.is_guarded(&r.span) {
                    continue;
                }
                let id = task.id().unwrap_or("this task");
                out.push(
                    META.diag(
                        format!(
                            "`{}` is only set inside a flowable task, and `{id}` is not in one",
                            r.root
                        ),
                        s.file_span(r.root_span.clone()),
                    )
                    .with_label("no parent task run here")
                    .with_help("move the task into the flowable task whose run it reads"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_in_top_level_tasks() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ parent.taskrun.value }} {{ parents[0].taskrun.value }}\"\nerrors:\n  - id: e\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ parent.taskrun.id }}\"\n";
        assert_fires("P107", yaml, &[(6, 18), (6, 45), (10, 18)]);
    }

    #[test]
    fn silent_in_nested_tasks_and_for_locals() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [1]\n    tasks:\n      - id: c\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ parent.taskrun.value }}\"\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{% for parent in [1] %}{{ parent }}{% endfor %} {{ parent ?? 'none' }} {{ parent() }}\"\n";
        assert_silent("P107", yaml);
    }
}
