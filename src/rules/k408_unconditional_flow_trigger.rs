use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K408",
    name: "unconditional-flow-trigger",
    severity: Severity::Warning,
    summary: "A Flow trigger has neither `conditions` nor `preconditions`",
    docs: r#"## What it does
Reports a Flow trigger (`io.kestra.plugin.core.trigger.Flow`) without `conditions` and without
`preconditions`.

## Why
Such a trigger starts the flow after every execution of every flow of the instance. Kestra saves
the flow but warns: `This flow will be triggered for EVERY execution of EVERY flow on your
instance. We recommend adding the preconditions property to the Flow trigger '<id>'.` (Kestra 1.x).
In 2.0 the Flow trigger's `dependsOn` replaces both properties; the message names it.

## Example
```yaml
triggers:
  - id: after_anything          # K408
    type: io.kestra.plugin.core.trigger.Flow
```
Use instead:
```yaml
    preconditions:
      id: after_ingest
      flows:
        - namespace: company.team
          flowId: ingest
          states: [SUCCESS]
```
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

fn has_content(node: Option<&Node>) -> bool {
    node.is_some_and(|n| {
        !(n.is_null()
            || n.as_seq().is_some_and(<[_]>::is_empty)
            || n.as_map().is_some_and(<[_]>::is_empty))
    })
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for trigger in flow.triggers_of_type(types::FLOW_TRIGGER) {
            // On 2.0 `dependsOn` names the upstream flows; the 1.x keys are K802 there.
            if has_content(trigger.node.get("conditions"))
                || has_content(trigger.node.get("preconditions"))
                || has_content(trigger.node.get("dependsOn"))
            {
                continue;
            }
            let property = if ctx.target.is_2_0() {
                "dependsOn"
            } else {
                "preconditions"
            };
            out.push(
                META.diag(
                    format!(
                        "This flow will be triggered for EVERY execution of EVERY flow on your instance. We recommend adding the {property} property to the Flow trigger '{}'.",
                        trigger.id().unwrap_or("<no id>")
                    ),
                    trigger.anchor_span(),
                )
                .with_label(format!("no `{property}`"))
                .with_help(format!(
                    "add `{property}` naming the upstream flows (and states) to wait for"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages, messages_1_3};

    #[test]
    fn fires_on_a_bare_flow_trigger() {
        assert_fires(
            "K408",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: any\n    type: io.kestra.plugin.core.trigger.Flow\n",
            &[(8, 9)],
        );
    }

    #[test]
    fn names_depends_on_for_2_0() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: any\n    type: io.kestra.plugin.core.trigger.Flow\n";
        assert!(messages("K408", yaml)[0].contains("adding the dependsOn property"));
        assert!(messages_1_3("K408", yaml)[0].contains("adding the preconditions property"));
        assert_silent(
            "K408",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: a\n    type: io.kestra.plugin.core.trigger.Flow\n    dependsOn:\n      - namespace: n\n        flowId: x\n",
        );
    }

    #[test]
    fn silent_with_preconditions_or_conditions() {
        assert_silent(
            "K408",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: a\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: p\n      flows:\n        - namespace: n\n          flowId: x\n  - id: b\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionStatus\n        in: [SUCCESS]\n",
        );
    }
}
