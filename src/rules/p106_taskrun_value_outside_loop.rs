use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::loops::{enclosing_loop, LoopKind};
use crate::flow::templates::first_name;
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P106",
    name: "taskrun-value-outside-loop",
    severity: Severity::Warning,
    summary: "`taskrun.value` in a task that is not inside a loop",
    docs: r#"## What it does
Reports `taskrun.value` in a task that has no looping ancestor — `ForEach`, `EachSequential`,
`EachParallel`, `ForEachItem`, `LoopUntil` (`WaitFor`), under their current or old type names —
and in a task inside Kestra 2.0's `Loop`, whose iterations are sub-executions where
`taskrun.value` is not set (`item.value` is). Values outside tasks (flow outputs, triggers) and references whose missing value is
handled (`?? …`, `| default(…)`, `is defined`) are left alone.

## Why
`taskrun.value` is the current item of the enclosing loop. Outside a loop it is not set, and
the expression fails at run time (`Unable to find 'value'` in a `Loop`).

Severity: an error on Kestra 2.0 (the default target), a warning with `target-version = "1.3"`.

## Example
```yaml
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "Processing {{ taskrun.value }}"      # P106: not inside a ForEach
```
Put the task under a `ForEach` (`values: [...]`, `tasks: [log]`).
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::RefusedFrom2_0,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for s in ctx.templates {
            let Some(task) = s.task else { continue };
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            let in_item_loop = match enclosing_loop(flow, task) {
                Some((_, LoopKind::TaskrunValue)) => continue,
                // 1.x has no `Loop` (S005 says so): its children are not judged twice.
                Some((_, LoopKind::Item)) if !ctx.target.is_2_0() => continue,
                Some((_, LoopKind::Item)) => true,
                None => false,
            };
            for r in pebble::references(&s.template) {
                if r.root != "taskrun" || s.is_guarded(&r.span) {
                    continue;
                }
                let Some((name, segment)) = first_name(&r) else {
                    continue;
                };
                if name != "value" {
                    continue;
                }
                let id = flow.tasks[task].id().unwrap_or("this task");
                let span = s.file_span(r.root_span.start..segment.span.end);
                out.push(if in_item_loop {
                    META.diag(
                        format!("`taskrun.value` is not set inside a Loop (`{id}`): each iteration is a sub-execution"),
                        span,
                    )
                    .with_label("not set in a Loop iteration")
                    .with_help("use `item.value` (`item.index`, `item.key`; `item.parent.value` for an outer Loop)")
                } else {
                    META.diag(
                        format!("`taskrun.value` is only set inside a loop, and `{id}` is not in one"),
                        span,
                    )
                    .with_label("not set here")
                    .with_help("move the task under a Loop (ForEach on Kestra 1.x), or use the value itself")
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    #[test]
    fn fires_outside_loops() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ taskrun.value }}\"\n  - id: p\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n      - id: c\n        type: io.kestra.plugin.core.log.Log\n        message: |\n          item {{ taskrun.value }}\n";
        assert_fires("P106", yaml, &[(6, 18), (13, 19)]);
    }

    #[test]
    fn fires_inside_a_2_0_loop() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.flow.Loop\n    values: [1]\n    tasks:\n      - id: c\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ taskrun.value }}\"\n";
        assert_fires("P106", yaml, &[(10, 22)]);
        assert!(messages("P106", yaml)[0].contains("not set inside a Loop"));
    }

    #[test]
    fn silent_inside_loops_and_outside_tasks() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [1, 2]\n    tasks:\n      - id: seq\n        type: io.kestra.plugin.core.flow.Sequential\n        tasks:\n          - id: c\n            type: io.kestra.plugin.core.log.Log\n            message: \"{{ taskrun.value }} {{ parent.taskrun.value }}\"\n  - id: old\n    type: io.kestra.core.tasks.flows.EachSequential\n    value: [1]\n    tasks:\n      - id: d\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ taskrun.value }}\"\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ taskrun.id }} {{ taskrun.value ?? '' }}\"\noutputs:\n  - id: o\n    type: STRING\n    value: \"{{ taskrun.value }}\"\n";
        assert_silent("P106", yaml);
    }
}
