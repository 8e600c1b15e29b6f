use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::target::refused_from_2_0;
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K403",
    name: "invalid-webhook-key",
    severity: Severity::Error,
    summary: "A Webhook trigger's `key` is longer than 256 characters or blank",
    docs: r#"## What it does
Reports a `Webhook` trigger whose `key` is longer than 256 characters, or empty or blank.

## Why
The key is part of the webhook URL. Kestra refuses a longer key (`key: size must be between 0 and
256`, Kestra 1.x and 2.0): an error. A blank key gives a webhook nobody can call; Kestra 1.x saves
it (a warning here) and Kestra 2.0 refuses it (`must not be blank`, PR #18750; an error with
`target-version = "2.0"`).

## Example
```yaml
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ""                 # K403
```
Use instead: a secret-like key of reasonable length, e.g. `key: 4wjtkzwVGBM9yKnjm3yv8r`.
"#,
    fixable: false,
    enabled_by_default: true,
};

const MAX: usize = 256;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for trigger in &flow.triggers {
            if !trigger
                .type_name()
                .is_some_and(|t| types::is(t, types::WEBHOOK))
            {
                continue;
            }
            let Some(node) = trigger.node.get("key") else {
                continue;
            };
            let Some(key) = node.as_str() else { continue };
            let len = key.chars().count();
            let (message, label, severity) = if len > MAX {
                (
                    format!("webhook key is {len} characters long; the maximum is {MAX}"),
                    "too long",
                    Severity::Error,
                )
            } else if key.trim().is_empty() {
                (
                    "webhook key must not be blank".to_string(),
                    "blank key",
                    refused_from_2_0(ctx.target_version),
                )
            } else {
                continue;
            };
            let mut d = META
                .diag(message, node.span.clone())
                .with_label(label)
                .with_help(format!("use a key of 1 to {MAX} characters"));
            d.severity = severity;
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    fn flow(key: &str) -> String {
        format!("id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: {key}\n")
    }

    #[test]
    fn fires_on_long_and_blank_keys() {
        assert_fires("K403", &flow(&"a".repeat(257)), &[(10, 10)]);
        assert_fires("K403", &flow("\" \""), &[(10, 10)]);
    }

    #[test]
    fn silent_on_a_normal_key() {
        assert_silent("K403", &flow(&"a".repeat(256)));
    }
}
