use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::ScalarValue;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K205",
    name: "trigger-missing-inputs",
    severity: Severity::Warning,
    summary: "A Schedule or Webhook trigger does not supply a required input that has no default",
    docs: r#"## What it does
For each `Schedule` and `Webhook` trigger, lists the flow's inputs that have no `defaults` and are
required (`required` is true unless set to `false`) but do not appear under the trigger's
`inputs:`. The finding points at the trigger, with each missing input as context. `prefill` does
not count; Flow and polling triggers are not checked.

## Why
An execution started by such a trigger has no value for the input. Kestra 1.x accepts the flow
and every triggered execution fails (`Missing required input`); Kestra 2.0 refuses to save it:
`Missing inputs for <Schedule|Webhook> Trigger '<id>', missing inputs: '<a | b>'` (PR #15090 for
Schedule, PR #18601 for Webhook; `required: false` exempts the input since 2.0-rc12).

Severity: an error on Kestra 2.0 (the default target), a warning with
`target-version = "1.3"`.

## Example
```yaml
inputs:
  - id: user
    type: STRING
triggers:
  - id: every_minute          # K205: missing `user`
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * *"
```
Use instead: supply it (`inputs: {user: batch}` on the trigger), or give the input `defaults`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::RefusedFrom2_0,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        check_flow(ctx, out);
    }
}

fn check_flow(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(flow) = ctx.flow else { return };
    let needed: Vec<(&str, &crate::yaml::Node)> = flow
        .inputs
        .iter()
        .filter(|i| i.type_name() != Some("FORM"))
        .filter(|i| i.node.get("defaults").is_none_or(|d| d.is_null()))
        .filter(|i| {
            !matches!(
                i.node
                    .get("required")
                    .and_then(|r| r.as_scalar())
                    .map(|s| s.value),
                Some(ScalarValue::Bool(false))
            )
        })
        .filter_map(|i| Some((i.input_id()?, i.input_id_node()?)))
        .collect();
    if needed.is_empty() {
        return;
    }
    for trigger in &flow.triggers {
        let Some(ty) = trigger.type_name() else {
            continue;
        };
        let kind = match types::canonical(ty) {
            types::SCHEDULE => "Schedule",
            types::WEBHOOK => "Webhook",
            _ => continue,
        };
        let supplied: Vec<&str> = match trigger.node.get("inputs") {
            None => Vec::new(),
            Some(n) if n.is_null() => Vec::new(),
            Some(n) => match n.as_map() {
                Some(entries) => entries.iter().filter_map(|e| e.key_str()).collect(),
                // An expression or another shape: cannot tell.
                None => continue,
            },
        };
        let missing: Vec<&(&str, &crate::yaml::Node)> = needed
            .iter()
            .filter(|(id, _)| !supplied.contains(id))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let names: Vec<&str> = missing.iter().map(|(id, _)| *id).collect();
        let mut d = META
                .diag(
                    format!(
                        "Missing inputs for {kind} Trigger '{}', missing inputs: '{}'",
                        trigger.id().unwrap_or("<no id>"),
                        names.join(" | ")
                    ),
                    trigger.anchor_span(),
                )
                .with_label(format!("does not supply `{}`", names.join("`, `")))
                .with_help(
                    "supply each input under the trigger's `inputs:`, give the input `defaults`, or set `required: false`",
                );
        for (id, node) in &missing {
            d = d.with_secondary(
                node.span.clone(),
                format!("`{id}` is required and has no default"),
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const FLOW: &str = r#"id: f
namespace: n
inputs:
  - id: user
    type: STRING
    defaults: John
  - id: user2
    type: STRING
  - id: optional
    type: STRING
    required: false
tasks:
  - id: t
    type: io.kestra.plugin.core.log.Log
    message: m
triggers:
  - id: every_minute
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * *"
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: abc
    inputs:
      user2: x
  - id: upstream
    type: io.kestra.plugin.core.trigger.Flow
"#;

    #[test]
    fn fires_on_the_trigger_that_misses_inputs() {
        assert_fires("K205", FLOW, &[(17, 9)]);
        assert_eq!(
            messages("K205", FLOW)[0],
            "Missing inputs for Schedule Trigger 'every_minute', missing inputs: 'user2'"
        );
    }

    #[test]
    fn silent_when_supplied_defaulted_or_optional() {
        assert_silent(
            "K205",
            &FLOW.replace(
                "    cron: \"*/1 * * * *\"\n",
                "    cron: \"*/1 * * * *\"\n    inputs:\n      user2: y\n",
            ),
        );
    }

    #[test]
    fn fires_as_a_warning_on_1_x_and_an_error_on_2_0() {
        crate::rules::test_support::assert_warning_on_1_x_error_on_2_0("K205", FLOW);
    }
}
