use super::k505_invalid_input_default::check_against;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K506",
    name: "invalid-trigger-input-value",
    severity: Severity::Warning,
    summary: "A Schedule or Webhook trigger supplies an input value that is not valid for its type",
    docs: r#"## What it does
Checks each literal value a `Schedule` or `Webhook` trigger gives under `inputs:` against the
flow's input of that id, as K505 does for defaults (type, SELECT values…). Values with `{{` or
`{%` and FILE inputs are not checked.

## Why
Kestra 1.x saves the flow and every triggered execution fails on input validation. Kestra 2.0
refuses it at save: `Invalid value for input '<id>' supplied by <Kind> Trigger '<trigger>': <message>`
(PR #18750).

Severity: an error on Kestra 2.0 (the default target), a warning with
`target-version = "1.3"`.

## Example
```yaml
inputs:
  - id: batch_size
    type: INT
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@daily"
    inputs:
      batch_size: lots          # K506
```
Use instead: `batch_size: 500`.
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
    for trigger in &flow.triggers {
        let Some(ty) = trigger.type_name() else {
            continue;
        };
        let kind = match types::canonical(ty) {
            types::SCHEDULE => "Schedule",
            types::WEBHOOK => "Webhook",
            _ => continue,
        };
        let supplied = trigger.node.get("inputs").and_then(|n| n.as_map());
        for entry in supplied.unwrap_or_default() {
            let Some(id) = entry.key_str() else { continue };
            let Some(input) = flow.inputs.iter().find(|i| i.input_id() == Some(id)) else {
                continue;
            };
            if input.type_name() == Some("FILE") {
                continue;
            }
            if let Err(message) = check_against(input, &entry.value) {
                let mut d = META
                        .diag(
                            format!(
                                "Invalid value for input '{id}' supplied by {kind} Trigger '{}': {message}",
                                trigger.id().unwrap_or("<no id>")
                            ),
                            entry.value.span.clone(),
                        )
                        .with_help("supply a value of the input's type");
                if let Some(t) = input.type_node() {
                    d = d.with_secondary(t.span.clone(), format!("`{id}` is declared here"));
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    fn flow(value: &str) -> String {
        format!("id: f\nnamespace: n\ninputs:\n  - id: batch_size\n    type: INT\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: nightly\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n    inputs:\n      batch_size: {value}\n")
    }

    #[test]
    fn fires_on_a_bad_value() {
        assert_fires("K506", &flow("lots"), &[(15, 19)]);
    }

    #[test]
    fn silent_on_good_or_dynamic_values() {
        assert_silent("K506", &flow("500"));
        assert_silent("K506", &flow("\"{{ trigger.date | date('d') }}\""));
    }

    #[test]
    fn fires_as_a_warning_on_1_x_and_an_error_on_2_0() {
        crate::rules::test_support::assert_warning_on_1_x_error_on_2_0("K506", &flow("lots"));
    }
}
