use super::k301_dag_unknown_dependency::dag_nodes;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::graph::cycles;
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K302",
    name: "dag-cycle",
    severity: Severity::Error,
    summary: "Tasks of a Dag depend on each other in a cycle",
    docs: r#"## What it does
Follows the `dependsOn` lists of each `Dag` task and reports every cycle once, naming it
(`task1 → task2 → task1`), on the dependency that closes it, with the other links as context.

## Why
Kestra refuses the flow: `Cyclic dependency detected: <ids>` (DagTaskValidator, Kestra 1.x and
2.0). No
task of the cycle could ever start.

## Example
```yaml
    tasks:
      - task: {id: task1, type: io.kestra.plugin.core.log.Log, message: "1"}
        dependsOn: [task2]
      - task: {id: task2, type: io.kestra.plugin.core.log.Log, message: "2"}
        dependsOn: [task1]          # K302: task1 → task2 → task1
```
Use instead: remove one of the two dependencies.
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
        for task in &flow.tasks {
            if !task.type_name().is_some_and(|t| types::is(t, types::DAG)) {
                continue;
            }
            let nodes = dag_nodes(task.node);
            let ids: Vec<&str> = nodes.iter().map(|(id, _)| *id).collect();
            let deps: Vec<Vec<(usize, &crate::yaml::Node)>> = nodes
                .iter()
                .map(|(_, deps)| {
                    deps.iter()
                        .filter_map(|d| {
                            let t = ids.iter().position(|id| Some(*id) == d.scalar_text())?;
                            Some((t, *d))
                        })
                        .collect()
                })
                .collect();
            let edges: Vec<Vec<usize>> = deps
                .iter()
                .map(|d| d.iter().map(|(t, _)| *t).collect())
                .collect();
            for cycle in cycles(&edges) {
                let mut names: Vec<&str> = cycle.nodes.iter().map(|&n| ids[n]).collect();
                names.push(ids[cycle.nodes[0]]);
                let (from, edge) = cycle.closing;
                let mut d = META
                    .diag(
                        format!("Cyclic dependency detected: {}", names.join(" → ")),
                        deps[from][edge].1.span.clone(),
                    )
                    .with_label("closes the cycle")
                    .with_help("remove one of these dependencies");
                for pair in cycle.nodes.windows(2) {
                    if let Some((_, node)) = deps[pair[0]].iter().find(|(t, _)| *t == pair[1]) {
                        d = d.with_secondary(
                            node.span.clone(),
                            format!("`{}` depends on `{}`", ids[pair[0]], ids[pair[1]]),
                        );
                    }
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const FLOW: &str = "id: f\nnamespace: n\ntasks:\n  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks:\n      - task:\n          id: task1\n          type: io.kestra.plugin.core.log.Log\n          message: m\n        dependsOn:\n          - task2\n      - task:\n          id: task2\n          type: io.kestra.plugin.core.log.Log\n          message: m\n        dependsOn:\n          - task1\n";

    #[test]
    fn fires_on_a_cycle_and_names_it() {
        assert_fires("K302", FLOW, &[(18, 13)]);
        assert_eq!(
            messages("K302", FLOW)[0],
            "Cyclic dependency detected: task1 → task2 → task1"
        );
    }

    #[test]
    fn silent_without_cycle() {
        assert_silent("K302", &FLOW.replace("          - task1\n", ""));
    }
}
