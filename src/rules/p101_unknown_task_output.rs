use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::{dashed_references, first_name, task_output_ids};
use crate::pebble;

pub struct Rule;

pub static META: RuleMeta = RuleMeta {
    code: "P101",
    name: "unknown-task-output",
    severity: Severity::Error,
    summary: "`outputs.<id>` or `tasks.<id>` naming a task that is not in the flow",
    docs: r#"## What it does
Reports `outputs.<id>`, `outputs['<id>']` and `tasks.<id>.state` when no task of the flow —
in `tasks`, `errors`, `finally`, `afterExecution` or nested in any flowable task — has that id,
and suggests the closest task id. A ForEachItem `each` also answers to `each_split`,
`each_items` and `each_merge` (the tasks it runs). Left alone: a reference whose missing value is
handled (`?? 'default'`, `| default(…)`, `is defined`), a key that is not a literal
(`outputs[taskrun.value]`), the `outputs` map of a Subflow task (rendered with the subflow's
outputs), values Kestra does not render (the flow's `description`, static properties), and flows
using a Template task.

A Flow trigger's `inputs` are rendered with the execution that triggers the flow, so there
`outputs.<id>` names a task of the upstream flow: when the trigger's `ExecutionFlow` conditions
or `preconditions.flows` name upstream flows that are all linted in the same run, and none has
task `<id>`, that is reported; otherwise nothing is said.

## Why
Kestra renders expressions with strict variables: reading the outputs of a task that does not
exist fails the task at run time ("Unable to find `fetch` used in the expression"). Kestra does
not check this when the flow is saved. It usually comes from a renamed task or a snippet copied
from another flow.

## Example
```yaml
tasks:
  - id: fetch_data
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com/api
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.fetch.body }}"       # P101: did you mean `fetch_data`?
```
Use instead: `"{{ outputs.fetch_data.body }}"`.
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
        let Some(ids) = task_output_ids(flow) else {
            return;
        };
        let known: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        // Indexed once per file: a flow with thousands of tasks has thousands of references.
        let mut suggestions = crate::suggest::Index::new(ids.iter().map(String::as_str));
        let mut by_id: std::collections::HashMap<&str, Option<usize>> = Default::default();
        for (i, t) in flow.tasks.iter().enumerate() {
            if let Some(id) = t.id() {
                by_id.entry(id).and_modify(|e| *e = None).or_insert(Some(i));
            }
        }
        for s in ctx.templates {
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            let dashed = dashed_references(&s.template, s.text());
            for r in pebble::references(&s.template) {
                if r.root != "outputs" && r.root != "tasks" {
                    continue;
                }
                let Some((name, segment)) = first_name(&r) else {
                    continue;
                };
                if s.is_guarded(&r.span) {
                    continue;
                }
                if known.contains(name) {
                    if r.root == "outputs" {
                        if let Some(d) = unknown_output(ctx, flow, &by_id, &r, name, s) {
                            out.push(d);
                        }
                    }
                    continue;
                }
                // `outputs.my-task.x` is P108's: Pebble reads it as `outputs.my - task.x`.
                let split = dashed.iter().any(|d| {
                    d.covers(&r.root_span)
                        || (d.first == segment.span
                            && d.names.iter().any(|(n, _)| known.contains(n.as_str())))
                });
                if split {
                    continue;
                }
                let help = match suggestions.closest(name) {
                    Some(id) => format!("did you mean `{id}`?"),
                    None => format!(
                        "`{}` only holds the tasks of this flow; to use another flow's outputs, \
                         run it with a Subflow task and read `outputs.<subflow task>.outputs`",
                        r.root
                    ),
                };
                out.push(
                    META.diag(
                        format!("no task `{name}` in this flow (`{}.{name}`)", r.root),
                        s.segment_span(segment),
                    )
                    .with_label("unknown task id")
                    .with_help(help),
                );
            }
        }
    }
}

/// Parents whose children's outputs are keyed by iteration value first.
const LOOPS: &[&str] = &[
    "io.kestra.plugin.core.flow.ForEach",
    "io.kestra.plugin.core.flow.EachSequential",
    "io.kestra.plugin.core.flow.EachParallel",
    "io.kestra.plugin.core.flow.LoopUntil",
    "io.kestra.plugin.core.flow.Loop",
];

/// `outputs.<id>.<name>` where the task's outputs are known and `<name>` is not one of them.
fn unknown_output(
    ctx: &Context<'_>,
    flow: &crate::flow::Flow<'_>,
    by_id: &std::collections::HashMap<&str, Option<usize>>,
    r: &pebble::Reference,
    id: &str,
    s: &crate::flow::templates::ParsedString<'_>,
) -> Option<Diagnostic> {
    let store = ctx.schema?;
    let key = r.segments.get(1)?;
    let name = key.name.as_deref()?;
    // `by_id`: task index per id, `None` for an id used twice (K102's).
    let task = &flow.tasks[(*by_id.get(id)?)?];
    let ty = task.type_name()?;
    // Inside a loop (or any flowable we do not know), the next key is not an output name.
    let mut parent = task.parent;
    while let Some(p) = parent {
        let pt = flow.tasks[p].type_name().unwrap_or("");
        let canonical = crate::flow::types::canonical(pt);
        if LOOPS.contains(&canonical) || !canonical.starts_with("io.kestra.plugin.core.") {
            return None;
        }
        parent = flow.tasks[p].parent;
    }
    let outputs = store.outputs(ty)?;
    if outputs.iter().any(|o| o == name) {
        return None;
    }
    let short = ty.rsplit('.').next().unwrap_or(ty);
    let (message, help) = if outputs.is_empty() {
        (
            format!("task `{id}` (`{short}`) has no outputs (`outputs.{id}.{name}`)"),
            format!("a `{short}` task produces no outputs: reading one fails the task at run time"),
        )
    } else {
        let list = outputs
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match crate::suggest::closest(name, outputs.iter().map(String::as_str)) {
            Some(o) => format!("did you mean `{o}`? a `{short}` task outputs {list}"),
            None => format!("a `{short}` task outputs {list}"),
        };
        (
            format!("task `{id}` (`{short}`) has no output `{name}`"),
            help,
        )
    };
    Some(
        META.diag(message, s.segment_span(key))
            .with_label("not an output of this task")
            .with_help(help),
    )
}

/// Flow trigger inputs: `outputs.<id>` must be a task of an upstream flow, when every upstream
/// flow the trigger names is linted.
pub fn check_files(files: &[crate::engine::CrossFile<'_>], out: &mut Vec<(usize, Diagnostic)>) {
    use std::collections::HashMap;
    let mut by_name: HashMap<(&str, &str), Option<&[String]>> = HashMap::with_capacity(files.len());
    for f in files {
        by_name
            .entry((f.summary.namespace.as_str(), f.summary.id.as_str()))
            .or_insert(f.summary.task_ids.as_deref());
    }
    for f in files {
        // Flows of the repository index are read, not reported on.
        let Some(report) = f.report else { continue };
        for read in &f.summary.upstream_reads {
            let mut ids: Vec<&str> = Vec::new();
            let mut complete = true;
            for (ns, id) in &read.upstream {
                match by_name.get(&(ns.as_str(), id.as_str())) {
                    Some(Some(tasks)) => ids.extend(tasks.iter().map(String::as_str)),
                    _ => complete = false,
                }
            }
            if !complete || ids.contains(&read.task.as_str()) {
                continue;
            }
            let names: Vec<String> = read
                .upstream
                .iter()
                .map(|(ns, id)| format!("`{ns}.{id}`"))
                .collect();
            let help = match crate::suggest::closest(&read.task, ids.iter().copied()) {
                Some(id) => format!("did you mean `{id}`?"),
                None => format!(
                    "a Flow trigger's inputs read the outputs of the flow that triggers it ({})",
                    names.join(", ")
                ),
            };
            out.push((
                report,
                META.diag(
                    format!(
                        "no task `{}` in upstream flow {} (`{}.{}`)",
                        read.task,
                        names.join(" or "),
                        read.root,
                        read.task
                    ),
                    read.span.clone(),
                )
                .with_label("unknown task id in the upstream flow")
                .with_help(help),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const HEAD: &str = "id: f\nnamespace: n\ntasks:\n  - id: fetch_data\n    type: com.example.Fetch\n    message: hi\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_on_the_task_id_in_dot_and_bracket_form() {
        let yaml = format!(
            "{HEAD}    message: \"{{{{ outputs.fetch.body }}}} {{{{ outputs['other'].x }}}} {{{{ tasks.gone.state }}}}\"\n"
        );
        assert_fires("P101", &yaml, &[(9, 26), (9, 52), (9, 74)]);
        assert_eq!(
            messages("P101", &yaml)[0],
            "no task `fetch` in this flow (`outputs.fetch`)"
        );
    }

    #[test]
    fn fires_in_a_literal_block() {
        assert_fires(
            "P101",
            &format!("{HEAD}    message: |\n      {{% if outputs.fetch_dat.code == 200 %}}ok{{% endif %}}\n"),
            &[(10, 21)],
        );
    }

    #[test]
    fn silent_on_for_each_item_tasks_subflow_outputs_and_descriptions() {
        let yaml = "id: f\nnamespace: n\ndescription: \"Reads {{ outputs.child.x }}\"\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEachItem\n    items: \"{{ inputs.file }}\"\n    namespace: n\n    flowId: child\n  - id: sub\n    type: io.kestra.core.tasks.flows.Flow\n    namespace: n\n    flowId: child\n    outputs:\n      x: \"{{ outputs.child_task.value }}\"\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    description: \"Shows {{ outputs.other.x }}\"\n    message: \"{{ outputs.each_merge.subflowOutputs }}\"\n";
        assert_silent("P101", yaml);
    }

    #[test]
    fn silent_on_known_guarded_and_computed_references() {
        // `outputs.my-stuck-tasks.uri` reads as `outputs.my - stuck - tasks.uri` (P108's).
        let errors = "errors:\n  - id: my-stuck-tasks\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ outputs.t }} {{ outputs.my-stuck-tasks.uri }}\"\n";
        assert_silent(
            "P101",
            &format!(
                "{HEAD}    message: \"{{{{ outputs.fetch_data.x }}}} {{{{ outputs.on_error ?? 'a' }}}} {{{{ outputs.nope.x | default('b') }}}} {{{{ outputs[inputs.task].x }}}} {{% for o in outputs %}}{{{{ o }}}}{{% endfor %}}\"\n{errors}"
            ),
        );
    }

    #[test]
    fn silent_in_flow_trigger_inputs() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\ntriggers:\n  - id: up\n    type: io.kestra.plugin.core.trigger.Flow\n    inputs:\n      x: \"{{ outputs.upstream_task.uri }}\"\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionFlow\n        namespace: n\n        flowId: up\n";
        assert_silent("P101", yaml);
        assert_silent(
            "P103",
            &yaml.replace("outputs.upstream_task.uri", "inputs.other"),
        );
    }

    #[test]
    fn flow_trigger_inputs_are_checked_against_the_linted_upstream_flow() {
        use crate::rules::test_support::lint_files;
        let upstream = "id: up\nnamespace: n\ntasks:\n  - id: only\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
        let listener = |read: &str| {
            format!("id: down\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\ntriggers:\n  - id: listen\n    type: io.kestra.plugin.core.trigger.Flow\n    inputs:\n      x: \"{{{{ outputs.{read}.value }}}}\"\n    preconditions:\n      id: p\n      flows:\n        - namespace: n\n          flowId: up\n")
        };
        let bad = listener("onyl");
        let found = lint_files(&[("down.yml", &bad), ("up.yml", upstream)], "P101");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].1, found[0].2, found[0].3.as_str()),
            (
                11,
                22,
                "no task `onyl` in upstream flow `n.up` (`outputs.onyl`)"
            )
        );
        let good = listener("only");
        assert!(lint_files(&[("down.yml", &good), ("up.yml", upstream)], "P101").is_empty());
        // The upstream flow is not linted: nothing to compare with.
        let other = upstream.replace("id: up", "id: elsewhere");
        assert!(lint_files(&[("down.yml", &bad), ("x.yml", &other)], "P101").is_empty());
        // Kestra 2.0: `dependsOn` names the upstream flow; a namespace-only entry opens it up.
        let two = bad.replace(
            "    preconditions:\n      id: p\n      flows:\n        - namespace: n\n          flowId: up\n",
            "    dependsOn:\n      - namespace: n\n        flowId: up\n",
        );
        let found = lint_files(&[("down.yml", &two), ("up.yml", upstream)], "P101");
        assert_eq!(found.len(), 1, "{found:?}");
        let open = two.replace("        flowId: up\n", "");
        assert!(lint_files(&[("down.yml", &open), ("up.yml", upstream)], "P101").is_empty());
    }

    #[test]
    fn fires_on_an_output_the_task_does_not_have() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n  - id: ret\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n  - id: py\n    type: io.kestra.plugin.jdbc.postgresql.Query\n    sql: select 1\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ outputs.hello.value }} {{ outputs.ret.vaule }} {{ outputs.py.row.x }} {{ outputs.py.rwos }}\"\n";
        assert_fires("P101", yaml, &[(15, 32), (15, 56), (15, 102)]);
        let m = messages("P101", yaml);
        assert_eq!(
            m[0],
            "task `hello` (`Log`) has no outputs (`outputs.hello.value`)"
        );
        assert_eq!(m[1], "task `ret` (`Return`) has no output `vaule`");
        assert_eq!(m[2], "task `py` (`Query`) has no output `rwos`");
    }

    #[test]
    fn silent_on_known_outputs_loops_and_unknown_types() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: ret\n    type: io.kestra.core.tasks.debugs.Return\n    format: x\n  - id: py\n    type: io.kestra.plugin.scripts.python.Script\n    script: print(1)\n  - id: q\n    type: io.kestra.plugin.jdbc.postgresql.Query\n    sql: select 1\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [a]\n    tasks:\n      - id: inner\n        type: io.kestra.plugin.core.debug.Return\n        format: x\n  - id: other\n    type: com.example.Task\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ outputs.ret.value }} {{ outputs.py.vars.x }} {{ outputs.py.exitCode }} {{ outputs.q.rows }} {{ outputs.inner['a'].value }} {{ outputs.other.anything }} {{ outputs.ret.nope ?? 1 }}\"\n";
        assert_silent("P101", yaml);
    }
}
