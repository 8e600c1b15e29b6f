use super::ids::report_duplicates;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K407",
    name: "duplicate-precondition-id",
    severity: Severity::Error,
    summary: "Two Flow triggers of one flow share a `preconditions.id`",
    docs: r#"## What it does
Reports a `preconditions.id` used by more than one Flow trigger of the flow, on the later one.

## Why
Kestra stores the state of a trigger's preconditions (which upstream executions have been seen)
under the flow and that id: two triggers with the same id overwrite each other's state. Since late
2025 Kestra 1.x refuses such a flow (confirmed by a maintainer in kestra-io/kestra#12560). Kestra
2.0 removes `preconditions` (the Flow trigger's `dependsOn` replaces it).

## Example
```yaml
triggers:
  - id: on_success
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: flows
      flows: [{namespace: company.team, flowId: a, states: [SUCCESS]}]
  - id: on_failure
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: flows              # K407
      flows: [{namespace: company.team, flowId: a, states: [FAILED]}]
```
Use instead: `id: flows_failed` in the second trigger.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only1x,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let ids = flow
            .triggers
            .iter()
            .filter(|t| {
                t.type_name()
                    .is_some_and(|ty| types::is(ty, types::FLOW_TRIGGER))
            })
            .filter_map(|t| {
                let id = t.node.get("preconditions")?.get("id")?;
                Some((id.scalar_text()?, id.span.clone()))
            });
        report_duplicates(
            &META,
            "precondition id",
            ids,
            "each Flow trigger of a flow needs its own `preconditions.id`",
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent_1_3};

    const FLOW: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: a\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: flows\n      flows:\n        - namespace: n\n          flowId: x\n  - id: b\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: flows\n      flows:\n        - namespace: n\n          flowId: x\n";

    #[test]
    fn fires_on_the_second_trigger() {
        assert_fires_1_3("K407", FLOW, &[(18, 11)]);
    }

    #[test]
    fn silent_on_distinct_ids() {
        assert_silent_1_3("K407", &FLOW.replacen("id: flows", "id: flows_a", 1));
    }
}
