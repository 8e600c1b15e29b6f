use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::first_name;
use crate::flow::Flow;
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P106",
    name: "taskrun-value-outside-loop",
    severity: Severity::Warning,
    summary: "`taskrun.value` in a task that is not inside a loop",
    docs: r#"## What it does
Reports `taskrun.value` in a task that has no looping ancestor — `ForEach`, `EachSequential`,
`EachParallel`, `ForEachItem`, `LoopUntil` (`WaitFor`) or `Loop`, under their current or old
type names. Values outside tasks (flow outputs, triggers) and references whose missing value is
handled (`?? …`, `| default(…)`, `is defined`) are left alone.

## Why
`taskrun.value` is the current item of the enclosing loop. Outside a loop it is not set, and
the expression fails at run time.

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
    versions: super::Versions::All,
};

/// Task types that run their children once per item.
const LOOPS: &[&str] = &[
    "io.kestra.plugin.core.flow.ForEach",
    "io.kestra.plugin.core.flow.EachSequential",
    "io.kestra.core.tasks.flows.EachSequential",
    "io.kestra.plugin.core.flow.EachParallel",
    "io.kestra.core.tasks.flows.EachParallel",
    "io.kestra.plugin.core.flow.ForEachItem",
    "io.kestra.core.tasks.flows.ForEachItem",
    "io.kestra.plugin.core.flow.LoopUntil",
    "io.kestra.plugin.core.flow.WaitFor",
    "io.kestra.plugin.core.flow.Loop",
];

/// Is one of the task's ancestors a loop?
fn in_loop(flow: &Flow<'_>, task: usize) -> bool {
    let mut current = flow.tasks.get(task).and_then(|t| t.parent);
    let mut steps = 0;
    while let Some(p) = current {
        let Some(parent) = flow.tasks.get(p) else {
            return false;
        };
        if parent.type_name().is_some_and(|ty| LOOPS.contains(&ty)) {
            return true;
        }
        steps += 1;
        if steps > flow.tasks.len() {
            return false;
        }
        current = parent.parent;
    }
    false
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for s in ctx.templates {
            let Some(task) = s.task else { continue };
            if !s.uses_flow_context(flow, ctx.schema_findings) || in_loop(flow, task) {
                continue;
            }
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
                out.push(
                    META.diag(
                        format!("`taskrun.value` is only set inside a loop, and `{id}` is not in one"),
                        s.file_span(r.root_span.start..segment.span.end),
                    )
                    .with_label("not set here")
                    .with_help("move the task under a ForEach (or another looping task), or use the value itself"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_outside_loops() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ taskrun.value }}\"\n  - id: p\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n      - id: c\n        type: io.kestra.plugin.core.log.Log\n        message: |\n          item {{ taskrun.value }}\n";
        assert_fires("P106", yaml, &[(6, 18), (13, 19)]);
    }

    #[test]
    fn silent_inside_loops_and_outside_tasks() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [1, 2]\n    tasks:\n      - id: seq\n        type: io.kestra.plugin.core.flow.Sequential\n        tasks:\n          - id: c\n            type: io.kestra.plugin.core.log.Log\n            message: \"{{ taskrun.value }} {{ parent.taskrun.value }}\"\n  - id: old\n    type: io.kestra.core.tasks.flows.EachSequential\n    value: [1]\n    tasks:\n      - id: d\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ taskrun.value }}\"\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ taskrun.id }} {{ taskrun.value ?? '' }}\"\noutputs:\n  - id: o\n    type: STRING\n    value: \"{{ taskrun.value }}\"\n";
        assert_silent("P106", yaml);
    }
}
