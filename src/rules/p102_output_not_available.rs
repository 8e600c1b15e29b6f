use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::first_name;
use crate::flow::{Flow, Section};
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P102",
    name: "output-not-available",
    severity: Severity::Warning,
    summary: "A task reading its own outputs, or those of a task that cannot have run before it",
    docs: r#"## What it does
Reports `outputs.<id>` and `tasks.<id>.state` in a task when task `<id>` cannot have run before
it:
* it is the task itself;
* it is a later sibling in the same sequential list, or inside a later sibling — sequential
  lists are the flow's `tasks`, `errors`, `finally` and `afterExecution`, the `errors` and
  `finally` of any flowable task, and the `tasks` of `Sequential`, `WorkingDirectory` and
  `AllowFailure`;
* it is in an `errors` or `finally` list that runs after the task's own list (a task of `tasks`
  reading a task of `errors`).

A task reading its own outputs is an error (they never exist while it renders its
properties); the other cases are warnings. Branches of `Parallel`, `Dag`, `Switch`, `If`,
`ForEach` and other flowable tasks are not compared: their order is not guaranteed. A reference whose missing value is handled
(`?? 'default'`, `| default(…)`, `is defined`) is left alone.

## Why
A task's outputs exist only once it has run. Reading them earlier fails the task with
"Unable to find `…` used in the expression"; Kestra does not check the order when the flow is
saved.

## Example
```yaml
tasks:
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.compute.value }}"     # P102: `compute` runs after `report`
  - id: compute
    type: io.kestra.plugin.core.debug.Return
    format: "42"
```
Move `report` after `compute`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// Flowable tasks that run their `tasks` one after the other, in order.
const SEQUENTIAL: &[&str] = &[
    "io.kestra.plugin.core.flow.Sequential",
    "io.kestra.core.tasks.flows.Sequential",
    "io.kestra.plugin.core.flow.WorkingDirectory",
    "io.kestra.core.tasks.flows.WorkingDirectory",
    "io.kestra.core.tasks.flows.Worker",
    "io.kestra.plugin.core.flow.AllowFailure",
    "io.kestra.core.tasks.flows.AllowFailure",
];

/// Tasks that evaluate their own properties again after running their children.
const RE_EVALUATED: &[&str] = &[
    "io.kestra.plugin.core.flow.LoopUntil",
    "io.kestra.plugin.core.flow.WaitFor",
];

/// Why a task's outputs cannot be read from another task.
enum Unavailable {
    Own,
    LaterSibling { inside: Option<usize> },
    LaterPhase { list: &'static str },
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        // Looked up once per file: a flow with thousands of tasks has thousands of references.
        let mut positions: std::collections::HashMap<&str, usize> = Default::default();
        for (i, task) in flow.tasks.iter().enumerate() {
            if let Some(id) = task.id() {
                positions.entry(id).or_insert(i);
            }
        }
        for s in ctx.templates {
            let Some(owner) = s.task else { continue };
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            for r in pebble::references(&s.template) {
                if r.root != "outputs" && r.root != "tasks" {
                    continue;
                }
                let Some((name, segment)) = first_name(&r) else {
                    continue;
                };
                let Some(&target) = positions.get(name) else {
                    continue;
                };
                if s.is_guarded(&r.span) {
                    continue;
                }
                let Some(why) = unavailable(flow, owner, target) else {
                    continue;
                };
                let owner_id = flow.tasks[owner].id().unwrap_or("?");
                let (message, help) = match why {
                    Unavailable::Own => (
                        format!(
                            "task `{owner_id}` reads its own outputs (`{}.{name}`)",
                            r.root
                        ),
                        "a task's outputs exist only after it has run; use the value that \
                         produces them instead"
                            .to_string(),
                    ),
                    Unavailable::LaterSibling { inside } => (
                        format!(
                            "`{}.{name}` is read before task `{name}` can have run",
                            r.root
                        ),
                        match inside.and_then(|i| flow.tasks[i].id()) {
                            Some(outer) => format!(
                                "`{name}` is inside `{outer}`, which runs after `{owner_id}`; \
                                 move `{owner_id}` after it"
                            ),
                            None => format!(
                                "`{name}` runs after `{owner_id}` in the same list; move \
                                 `{owner_id}` after it"
                            ),
                        },
                    ),
                    Unavailable::LaterPhase { list } => (
                        format!(
                            "`{}.{name}` is read before task `{name}` can have run",
                            r.root
                        ),
                        format!("`{name}` is in `{list}`, which runs after `{owner_id}`'s list"),
                    ),
                };
                let mut diag = META
                    .diag(message, s.segment_span(segment))
                    .with_label("not available here")
                    .with_help(help);
                // Certain, except in a loop that may re-read its last iteration's outputs.
                if target == owner
                    && !flow.tasks[owner]
                        .type_name()
                        .is_some_and(|t| RE_EVALUATED.contains(&t))
                {
                    diag.severity = Severity::Error;
                }
                if target != owner {
                    diag = diag.with_secondary(
                        flow.tasks[target].anchor_span(),
                        format!("`{name}` is defined here"),
                    );
                }
                out.push(diag);
            }
        }
    }
}

/// The task and its ancestors, innermost first.
fn chain(flow: &Flow<'_>, task: usize) -> Vec<usize> {
    let mut out = vec![task];
    while let Some(parent) = out.last().and_then(|&t| flow.tasks.get(t)?.parent) {
        if out.contains(&parent) {
            break;
        }
        out.push(parent);
    }
    out
}

/// The pointer of the list holding a task (`/tasks/1/task` of a Dag → `/tasks`).
fn list_pointer(pointer: &str) -> &str {
    let pointer = pointer.strip_suffix("/task").unwrap_or(pointer);
    pointer.rsplit_once('/').map_or("", |(list, _)| list)
}

/// In which phase a list runs relative to its siblings lists: the main list, then `errors`, then
/// `finally`, then `afterExecution`. `None` for listeners (no order).
fn phase(flow: &Flow<'_>, task: usize) -> Option<(u8, &'static str)> {
    let t = &flow.tasks[task];
    if t.parent.is_none() {
        return match t.section {
            Section::Tasks => Some((0, "tasks")),
            Section::Errors => Some((1, "errors")),
            Section::Finally => Some((2, "finally")),
            Section::AfterExecution => Some((3, "afterExecution")),
            Section::Listeners => None,
        };
    }
    Some(match t.container {
        "errors" => (1, "errors"),
        "finally" => (2, "finally"),
        _ => (0, "tasks"),
    })
}

fn unavailable(flow: &Flow<'_>, owner: usize, target: usize) -> Option<Unavailable> {
    if owner == target {
        return Some(Unavailable::Own);
    }
    let from = chain(flow, owner);
    let to = chain(flow, target);
    // One inside the other: a parent is running while its children run.
    if from.contains(&target) || to.contains(&owner) {
        return None;
    }
    // The children of the lowest common ancestor (or the top-level tasks) on each side.
    let common = from.iter().position(|t| to.contains(t));
    let (a, b) = match common {
        Some(i) => {
            let j = to.iter().position(|t| Some(t) == from.get(i))?;
            (*from.get(i.checked_sub(1)?)?, *to.get(j.checked_sub(1)?)?)
        }
        None => (*from.last()?, *to.last()?),
    };
    let (pa, pb) = (phase(flow, a)?, phase(flow, b)?);
    if pa.0 < pb.0 {
        return Some(Unavailable::LaterPhase { list: pb.1 });
    }
    let same_list = list_pointer(&flow.tasks[a].pointer) == list_pointer(&flow.tasks[b].pointer);
    let sequential = pa.0 > 0
        || match flow.tasks[a].parent {
            None => true,
            Some(p) => {
                flow.tasks[a].container == "tasks"
                    && flow.tasks[p]
                        .type_name()
                        .is_some_and(|ty| SEQUENTIAL.contains(&ty))
            }
        };
    (same_list && sequential && pa.0 == pb.0 && b > a).then_some(Unavailable::LaterSibling {
        inside: (b != target).then_some(b),
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const LOG: &str = "type: io.kestra.plugin.core.log.Log";

    #[test]
    fn fires_on_own_later_sibling_and_later_phase() {
        let yaml = format!(
            "id: f\nnamespace: n\ntasks:\n  - id: a\n    {LOG}\n    message: \"{{{{ outputs.a.x }}}} {{{{ outputs.b.x }}}} {{{{ tasks.c.state }}}} {{{{ outputs.e.x }}}}\"\n  - id: b\n    {LOG}\n    message: hi\n  - id: s\n    type: io.kestra.plugin.core.flow.Sequential\n    tasks:\n      - id: c\n        {LOG}\n        message: hi\nerrors:\n  - id: e\n    {LOG}\n    message: hi\n"
        );
        assert_fires("P102", &yaml, &[(6, 26), (6, 44), (6, 60), (6, 82)]);
        let m = messages("P102", &yaml);
        assert_eq!(m[0], "task `a` reads its own outputs (`outputs.a`)");
        assert_eq!(m[1], "`outputs.b` is read before task `b` can have run");
        // Own outputs never exist while the task renders: an error; the others stay warnings.
        let (_, diags) = crate::rules::test_support::lint(&yaml);
        let severities: Vec<_> = diags
            .iter()
            .filter(|d| d.code == "P102")
            .map(|d| d.severity)
            .collect();
        use crate::diagnostic::Severity::{Error, Warning};
        assert_eq!(severities, [Error, Warning, Warning, Warning]);
    }

    #[test]
    fn fires_inside_a_sequential_list() {
        let yaml = format!(
            "id: f\nnamespace: n\ntasks:\n  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n    tasks:\n      - id: a\n        {LOG}\n        message: \"{{{{ outputs.b.x }}}}\"\n      - id: b\n        {LOG}\n        message: hi\n"
        );
        assert_fires("P102", &yaml, &[(9, 30)]);
    }

    #[test]
    fn silent_on_earlier_tasks_parallel_branches_parents_and_errors() {
        let yaml = format!(
            "id: f\nnamespace: n\ntasks:\n  - id: a\n    {LOG}\n    message: hi\n  - id: p\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n      - id: p1\n        {LOG}\n        message: \"{{{{ outputs.p2.x }}}} {{{{ outputs.a.x }}}} {{{{ outputs.p.x }}}}\"\n      - id: p2\n        {LOG}\n        message: hi\n  - id: loop\n    type: io.kestra.plugin.core.flow.LoopUntil\n    condition: \"{{{{ outputs.check.code == 200 }}}}\"\n    tasks:\n      - id: check\n        {LOG}\n        message: \"{{{{ outputs.later.x ?? '' }}}}\"\n  - id: later\n    {LOG}\n    message: hi\nerrors:\n  - id: e\n    {LOG}\n    message: \"{{{{ outputs.a.x }}}} {{{{ outputs.p1.x }}}}\"\n"
        );
        assert_silent("P102", &yaml);
    }
}
