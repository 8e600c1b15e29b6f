use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K404",
    name: "webhook-multiple-condition",
    severity: Severity::Error,
    summary: "A Webhook trigger uses a MultipleCondition",
    docs: r#"## What it does
Reports a condition of type `MultipleCondition` in a `Webhook` trigger's `conditions`.

## Why
A MultipleCondition waits for several upstream executions; a webhook call is not an execution.
Kestra refuses the flow: `invalid webhook: conditions of type MultipleCondition are not supported`
(WebhookValidator, Kestra 1.x). Kestra 2.0 removes trigger conditions and MultipleCondition
altogether (`when` and the Flow trigger's `dependsOn` replace them).

## Example
```yaml
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: abc
    conditions:
      - type: io.kestra.plugin.core.condition.MultipleCondition     # K404
```
Use instead: a Flow trigger with `preconditions` to wait for upstream flows.
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
        for trigger in flow.triggers_of_type(types::WEBHOOK) {
            let conditions = trigger.node.get("conditions").and_then(Node::as_seq);
            for condition in conditions.unwrap_or_default() {
                let Some(ty) = condition.get("type") else {
                    continue;
                };
                if !ty
                    .scalar_text()
                    .is_some_and(|t| types::is(t, types::MULTIPLE_CONDITION))
                {
                    continue;
                }
                out.push(
                    META.diag(
                        "invalid webhook: conditions of type MultipleCondition are not supported",
                        ty.span.clone(),
                    )
                    .with_label("not supported on a Webhook trigger")
                    .with_secondary(trigger.anchor_span(), "this Webhook trigger")
                    .with_help(
                        "use a Flow trigger with `preconditions` to wait for upstream executions",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent_1_3};

    const FLOW: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: abc\n    conditions:\n      - type: io.kestra.plugin.core.condition.MultipleCondition\n        id: m\n        conditions: {}\n";

    #[test]
    fn fires_on_multiple_condition() {
        assert_fires_1_3("K404", FLOW, &[(12, 15)]);
    }

    #[test]
    fn silent_on_other_conditions() {
        assert_silent_1_3(
            "K404",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: abc\n    conditions:\n      - type: io.kestra.plugin.core.condition.Weekend\n",
        );
    }
}
