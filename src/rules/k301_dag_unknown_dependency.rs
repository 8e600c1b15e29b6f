use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K301",
    name: "dag-unknown-dependency",
    severity: Severity::Error,
    summary: "A Dag task depends on a task id that is not one of the Dag's tasks",
    docs: r#"## What it does
Reports each `dependsOn` entry of a `Dag` task that is not the id of one of that Dag's own tasks
(`tasks[].task.id`).

## Why
Kestra refuses the flow: `Not existing task id in dependency: <ids>` (DagTaskValidator, Kestra 1.x
and 2.0). A dependency can only name a sibling inside the same Dag.

## Example
```yaml
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: load
          type: io.kestra.plugin.core.log.Log
          message: load
        dependsOn:
          - extrct          # K301
```
Use instead: `dependsOn: [extract]`, with a task `extract` in the same Dag.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// A Dag's nodes: (task id, its `dependsOn` entries).
pub fn dag_nodes(dag: &Node) -> Vec<(&str, Vec<&Node>)> {
    dag.get("tasks")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let id = item.get("task")?.get("id")?.scalar_text()?;
            let deps = item
                .get("dependsOn")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter(|d| d.scalar_text().is_some())
                .collect();
            Some((id, deps))
        })
        .collect()
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for task in &flow.tasks {
            if !task.type_name().is_some_and(|t| types::is(t, types::DAG)) {
                continue;
            }
            let nodes = dag_nodes(task.node);
            let ids: Vec<&str> = nodes.iter().map(|(id, _)| *id).collect();
            for (_, deps) in &nodes {
                for dep in deps {
                    let name = dep.scalar_text().unwrap_or_default();
                    if ids.contains(&name) {
                        continue;
                    }
                    let mut d = META
                        .diag(
                            format!("Not existing task id in dependency: {name}"),
                            dep.span.clone(),
                        )
                        .with_label("no task of this Dag has this id")
                        .with_secondary(task.anchor_span(), "in this Dag");
                    d = match crate::suggest::closest(name, ids.iter().copied()) {
                        Some(best) => d.with_help(format!("did you mean `{best}`?")),
                        None => d.with_help("a Dag task can only depend on tasks of the same Dag"),
                    };
                    out.push(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const FLOW: &str = "id: f\nnamespace: n\ntasks:\n  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks:\n      - task:\n          id: task1\n          type: io.kestra.plugin.core.log.Log\n          message: m\n      - task:\n          id: task2\n          type: io.kestra.plugin.core.log.Log\n          message: m\n        dependsOn:\n          - taskX\n          - task1\n";

    #[test]
    fn fires_on_an_unknown_dependency() {
        assert_fires("K301", FLOW, &[(16, 13)]);
    }

    #[test]
    fn silent_on_known_dependencies() {
        assert_silent("K301", &FLOW.replace("taskX", "task1"));
    }
}
