use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::{dashed_references, first_name, task_output_ids};
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
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
                if known.contains(name) || s.is_guarded(&r.span) {
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

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const HEAD: &str = "id: f\nnamespace: n\ntasks:\n  - id: fetch_data\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

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
        let errors = "errors:\n  - id: my-stuck-tasks\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ outputs.t.x }} {{ outputs.my-stuck-tasks.uri }}\"\n";
        assert_silent(
            "P101",
            &format!(
                "{HEAD}    message: \"{{{{ outputs.fetch_data.x }}}} {{{{ outputs.on_error ?? 'a' }}}} {{{{ outputs.nope.x | default('b') }}}} {{{{ outputs[inputs.task].x }}}} {{% for o in outputs %}}{{{{ o }}}}{{% endfor %}}\"\n{errors}"
            ),
        );
    }
}
