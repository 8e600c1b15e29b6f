use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::first_name;
use crate::flow::Flow;
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P106",
    name: "taskrun-value-outside-loop",
    severity: Severity::Error,
    summary: "`taskrun.value` in a task that is not inside a loop, or not a direct child of it",
    docs: r#"## What it does
Reports `taskrun.value` in a task that has no looping ancestor — `ForEach`, `EachSequential`,
`EachParallel`, `ForEachItem`, `LoopUntil` (`WaitFor`), under their current or old type names,
or a `Switch` (whose cases get the switch value) — and in a task nested in an `If`,
`Sequential` or `Parallel` inside the `tasks` of a `ForEach`, `EachSequential` or
`EachParallel`: only the direct children of those get `taskrun.value` (and the children of a
`WorkingDirectory` that is one); deeper tasks read it as `parent.taskrun.value` (or
`parents[n].taskrun.value`).
On Kestra 2.0, also `taskrun.value` in a task inside a `Loop`: each iteration is a
sub-execution where `item.value` is set instead (`Unable to find 'value'` at run time).
Values outside tasks (flow outputs, triggers) and references whose missing value is handled
(`?? …`, `| default(…)`, `is defined`) are left alone.

## Why
`taskrun.value` is the current item of the enclosing loop, set on the task runs the loop
creates. Elsewhere it is not set, and the expression fails at run time (Kestra renders with
strict variables). Kestra's ForEach documentation: "The `{{ taskrun.value }}` from the for_each
task is available only to direct child tasks".

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
];

/// Switch sets `taskrun.value` (the switch value) on the tasks of its cases, like a loop.
const SWITCH: &[&str] = &[
    "io.kestra.plugin.core.flow.Switch",
    "io.kestra.core.tasks.flows.Switch",
];

/// Loops that set `taskrun.value` on their direct children only (Kestra's ForEach docs).
const DIRECT_CHILDREN_ONLY: &[&str] = &[
    "io.kestra.plugin.core.flow.ForEach",
    "io.kestra.plugin.core.flow.EachSequential",
    "io.kestra.core.tasks.flows.EachSequential",
    "io.kestra.plugin.core.flow.EachParallel",
    "io.kestra.core.tasks.flows.EachParallel",
];

/// Flowable tasks known not to pass `taskrun.value` on to their children.
const NOT_PASSING: &[&str] = &[
    "io.kestra.plugin.core.flow.If",
    "io.kestra.core.tasks.flows.If",
    "io.kestra.plugin.core.flow.Sequential",
    "io.kestra.core.tasks.flows.Sequential",
    "io.kestra.plugin.core.flow.Parallel",
    "io.kestra.core.tasks.flows.Parallel",
];

/// WorkingDirectory runs its children with its own task run's value.
const PASSING: &[&str] = &[
    "io.kestra.plugin.core.flow.WorkingDirectory",
    "io.kestra.core.tasks.flows.WorkingDirectory",
];

/// Where a task stands with respect to loops.
enum Place {
    /// `taskrun.value` is set (or may be).
    InLoop,
    /// Inside Kestra 2.0's `Loop`: each iteration is a sub-execution with `item.*` instead.
    InItemLoop,
    NoLoop,
    /// Nested `depth` levels of `If`/`Sequential`/`Parallel` below the `tasks` of `each`,
    /// whose direct children alone get the value: `parents[depth - 1]` is that child.
    Nested {
        each: usize,
        depth: usize,
    },
}

fn place(flow: &Flow<'_>, task: usize) -> Place {
    let mut current = task;
    let mut depth = 0;
    let mut known_blockers = true;
    for _ in 0..=flow.tasks.len() {
        let Some(p) = flow.tasks.get(current).and_then(|t| t.parent) else {
            return Place::NoLoop;
        };
        let Some(parent) = flow.tasks.get(p) else {
            return Place::NoLoop;
        };
        let ty = parent.type_name().unwrap_or("");
        if ty == crate::flow::loops::LOOP {
            return Place::InItemLoop;
        }
        if LOOPS.contains(&ty) || SWITCH.contains(&ty) {
            let through_tasks = flow.tasks[current].container == "tasks";
            return if depth > 0
                && known_blockers
                && through_tasks
                && DIRECT_CHILDREN_ONLY.contains(&ty)
            {
                Place::Nested { each: p, depth }
            } else {
                Place::InLoop
            };
        }
        if !PASSING.contains(&ty) {
            known_blockers &= NOT_PASSING.contains(&ty);
            depth += 1;
        }
        current = p;
    }
    Place::NoLoop
}

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
            let place = place(flow, task);
            // 1.x has no `Loop` (S005 says so): its children are not judged twice.
            let in_1_x_loop = matches!(place, Place::InItemLoop) && !ctx.target.is_2_0();
            if matches!(place, Place::InLoop) || in_1_x_loop {
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
                let span = s.file_span(r.root_span.start..segment.span.end);
                out.push(match place {
                    Place::Nested { each, depth } => {
                        let loop_id = flow.tasks[each].id().unwrap_or("the loop");
                        let with = if depth == 1 {
                            "parent.taskrun.value".to_string()
                        } else {
                            format!("parents[{}].taskrun.value", depth - 1)
                        };
                        META.diag(
                            format!("`taskrun.value` is set only on the direct children of `{loop_id}`, and `{id}` is nested deeper"),
                            span,
                        )
                        .with_label("not set here")
                        .with_help(format!("use `{with}`, the value of the enclosing task that is a direct child of `{loop_id}`"))
                    }
                    Place::InItemLoop => META
                        .diag(
                            format!("`taskrun.value` is not set inside a Loop (`{id}`): each iteration is a sub-execution"),
                            span,
                        )
                        .with_label("not set in a Loop iteration")
                        .with_help("use `item.value` (`item.index`, `item.key`; `item.parent.value` for an outer Loop)"),
                    _ => META.diag(
                        format!("`taskrun.value` is only set inside a loop, and `{id}` is not in one"),
                        span,
                    )
                    .with_label("not set here")
                    .with_help("move the task under a Loop (ForEach on Kestra 1.x), or use the value itself"),
                });
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
    fn fires_inside_a_2_0_loop() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.flow.Loop\n    values: [1]\n    tasks:\n      - id: c\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ taskrun.value }}\"\n";
        assert_fires("P106", yaml, &[(10, 22)]);
        assert!(
            crate::rules::test_support::messages("P106", yaml)[0].contains("not set inside a Loop")
        );
        crate::rules::test_support::assert_silent_1_3("P106", yaml);
    }

    #[test]
    fn fires_below_a_direct_child_of_for_each() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [1, 2]\n    tasks:\n      - id: check\n        type: io.kestra.plugin.core.flow.If\n        condition: \"{{ taskrun.value == 1 }}\"\n        then:\n          - id: seq\n            type: io.kestra.plugin.core.flow.Sequential\n            tasks:\n              - id: c\n                type: io.kestra.plugin.core.log.Log\n                message: \"{{ taskrun.value }}\"\n          - id: d\n            type: io.kestra.plugin.core.log.Log\n            message: \"{{ taskrun.value }}\"\n";
        assert_fires("P106", yaml, &[(17, 30), (20, 26)]);
        let (_, diags) = crate::rules::test_support::lint(yaml);
        let helps: Vec<_> = diags
            .iter()
            .filter(|d| d.code == "P106")
            .map(|d| d.help.clone().unwrap_or_default())
            .collect();
        assert!(
            helps[0].contains("`parents[1].taskrun.value`"),
            "{}",
            helps[0]
        );
        assert!(helps[1].contains("`parent.taskrun.value`"), "{}", helps[1]);
    }

    #[test]
    fn silent_inside_loops_and_outside_tasks() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [1, 2]\n    tasks:\n      - id: seq\n        type: io.kestra.plugin.core.flow.Sequential\n        tasks:\n          - id: c\n            type: io.kestra.plugin.core.log.Log\n            message: \"{{ parent.taskrun.value }}\"\n      - id: inner\n        type: io.kestra.plugin.core.flow.ForEach\n        values: [3]\n        tasks:\n          - id: e\n            type: io.kestra.plugin.core.log.Log\n            message: \"{{ taskrun.value }} {{ parent.taskrun.value }}\"\n  - id: old\n    type: io.kestra.core.tasks.flows.EachSequential\n    value: [1]\n    tasks:\n      - id: d\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ taskrun.value }}\"\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ taskrun.id }} {{ taskrun.value ?? '' }}\"\n  - id: sw\n    type: io.kestra.plugin.core.flow.Switch\n    value: A\n    cases:\n      A:\n        - id: sa\n          type: io.kestra.plugin.core.log.Log\n          message: \"{{ taskrun.value }}\"\n  - id: each2\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [1]\n    tasks:\n      - id: wd\n        type: io.kestra.plugin.core.flow.WorkingDirectory\n        tasks:\n          - id: w\n            type: io.kestra.plugin.core.log.Log\n            message: \"{{ taskrun.value }}\"\n    errors:\n      - id: es\n        type: io.kestra.plugin.core.flow.Sequential\n        tasks:\n          - id: e1\n            type: io.kestra.plugin.core.log.Log\n            message: \"{{ taskrun.value }}\"\noutputs:\n  - id: o\n    type: STRING\n    value: \"{{ taskrun.value }}\"\n";
        assert_silent("P106", yaml);
    }
}
