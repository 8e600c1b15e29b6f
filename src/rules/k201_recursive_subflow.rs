use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::summary::subflow_calls;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K201",
    name: "recursive-subflow",
    severity: Severity::Error,
    summary: "A Subflow or ForEachItem task calls the flow it belongs to",
    docs: r#"## What it does
Reports a `Subflow` or `ForEachItem` task whose literal `namespace` and `flowId` are the flow's own
namespace and id. Targets written with expressions are not checked.

## Why
Kestra refuses the flow: `Recursive call to flow [<namespace>.<id>]` (FlowValidator, one per
offending task, Kestra 1.x and 2.0). Each execution would start another one without end. Cycles
through several flows are reported by K703 when the flows are linted together.

## Example
```yaml
id: nightly
namespace: company.team
tasks:
  - id: again
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: nightly        # K201
```
Use instead: call another flow, or loop inside the flow (`ForEach`, `LoopUntil`).
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
        let (Some(ns), Some(id_node)) = (flow.namespace(), flow.root.get("id")) else {
            return;
        };
        let Some(id) = id_node.scalar_text() else {
            return;
        };
        for call in subflow_calls(flow) {
            if call.namespace == ns && call.flow_id == id {
                out.push(
                    META.diag(format!("Recursive call to flow [{ns}.{id}]"), call.span)
                        .with_label("calls this very flow")
                        .with_secondary(id_node.span.clone(), "the flow's own id")
                        .with_help(
                            "a flow cannot start itself as a subflow; loop inside the flow instead",
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_a_call_to_itself() {
        assert_fires(
            "K201",
            "id: recursive-flow\nnamespace: io.kestra.tests\ntasks:\n  - id: taskInvalid\n    type: io.kestra.plugin.core.flow.Subflow\n    flowId: recursive-flow\n    namespace: io.kestra.tests\n",
            &[(6, 13)],
        );
    }

    #[test]
    fn silent_on_other_flows_and_expressions() {
        assert_silent(
            "K201",
            "id: f\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.flow.Subflow\n    flowId: g\n    namespace: n\n  - id: b\n    type: io.kestra.plugin.core.flow.ForEachItem\n    items: '{{ outputs.x.uri }}'\n    flowId: f\n    namespace: other\n  - id: c\n    type: io.kestra.plugin.core.flow.Subflow\n    flowId: '{{ flow.id }}'\n    namespace: n\n",
        );
    }
}
