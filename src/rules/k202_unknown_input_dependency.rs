use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K202",
    name: "unknown-input-dependency",
    severity: Severity::Error,
    summary: "An input's `dependsOn.inputs` names an input the flow does not declare",
    docs: r#"## What it does
Reports each entry of an input's `dependsOn.inputs` that is not the id of an input of the flow.

## Why
Kestra refuses the flow: `Input with id '<id>' depends on a non-existent input '<dep>'.`
(FlowValidator, Kestra 1.x and 2.0). The UI could never show the dependent input.

## Example
```yaml
inputs:
  - id: region
    type: SELECT
    values: [eu, us]
  - id: zone
    type: STRING
    dependsOn:
      inputs: [regoin]      # K202
```
Use instead: `inputs: [region]`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// The scalar entries of an input's `dependsOn.inputs`.
pub fn dependencies<'a>(input: &crate::flow::Item<'a>) -> Vec<&'a crate::yaml::Node> {
    input
        .node
        .get("dependsOn")
        .and_then(|d| d.get("inputs"))
        .and_then(crate::yaml::Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter(|n| n.scalar_text().is_some())
        .collect()
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let ids: Vec<&str> = flow.inputs.iter().filter_map(|i| i.input_id()).collect();
        for input in &flow.inputs {
            let Some(id) = input.input_id() else { continue };
            for dep in dependencies(input) {
                let name = dep.scalar_text().unwrap_or_default();
                if ids.contains(&name) {
                    continue;
                }
                let mut d = META
                    .diag(
                        format!("Input with id '{id}' depends on a non-existent input '{name}'."),
                        dep.span.clone(),
                    )
                    .with_label("no input has this id");
                d = match crate::suggest::closest(name, ids.iter().copied()) {
                    Some(best) => d.with_help(format!("did you mean `{best}`?")),
                    None => d.with_help("list only ids of inputs declared in `inputs`"),
                };
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const FLOW: &str = "id: f\nnamespace: n\ninputs:\n  - id: region\n    type: STRING\n  - id: zone\n    type: STRING\n    dependsOn:\n      inputs: [regoin, region]\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    #[test]
    fn fires_on_a_missing_input() {
        assert_fires("K202", FLOW, &[(9, 16)]);
    }

    #[test]
    fn silent_on_declared_inputs() {
        assert_silent("K202", &FLOW.replace("regoin, ", ""));
    }
}
