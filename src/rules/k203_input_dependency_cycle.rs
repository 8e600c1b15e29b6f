use super::k202_unknown_input_dependency::dependencies;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::graph::cycles;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K203",
    name: "input-dependency-cycle",
    severity: Severity::Error,
    summary: "Inputs depend on each other in a cycle through `dependsOn`",
    docs: r#"## What it does
Follows every input's `dependsOn.inputs` and reports each cycle once, naming it
(`a → b → a`), on the dependency that closes it, with the other links as context.

## Why
Kestra refuses the flow: `Cycle dependency detected for input with id '<id>': [<cycle>]`
(FlowValidator, Kestra 1.x and 2.0). No input of the cycle could ever be shown first.

## Example
```yaml
inputs:
  - id: a
    type: STRING
    dependsOn:
      inputs: [b]
  - id: b
    type: STRING
    dependsOn:
      inputs: [a]       # K203: a → b → a
```
Use instead: drop one of the two dependencies.
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
        let inputs: Vec<_> = flow
            .inputs
            .iter()
            .filter(|i| i.input_id().is_some())
            .collect();
        let ids: Vec<&str> = inputs.iter().filter_map(|i| i.input_id()).collect();
        // Edges keep the node of each dependency so the closing one can be pointed at.
        let deps: Vec<Vec<(usize, &crate::yaml::Node)>> = inputs
            .iter()
            .map(|i| {
                dependencies(i)
                    .into_iter()
                    .filter_map(|d| {
                        let t = ids.iter().position(|id| Some(*id) == d.scalar_text())?;
                        Some((t, d))
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
                    format!(
                        "Cycle dependency detected for input with id '{}': {}",
                        ids[cycle.nodes[0]],
                        names.join(" → ")
                    ),
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

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const FLOW: &str = "id: f\nnamespace: n\ninputs:\n  - id: a\n    type: STRING\n    dependsOn:\n      inputs: [b]\n  - id: b\n    type: STRING\n    dependsOn:\n      inputs: [c]\n  - id: c\n    type: STRING\n    dependsOn:\n      inputs: [a]\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    #[test]
    fn fires_once_per_cycle_and_names_it() {
        assert_fires("K203", FLOW, &[(15, 16)]);
        assert_eq!(
            messages("K203", FLOW)[0],
            "Cycle dependency detected for input with id 'a': a → b → c → a"
        );
    }

    #[test]
    fn silent_on_a_chain() {
        assert_silent("K203", &FLOW.replace("inputs: [a]", "inputs: []"));
    }
}
