use super::k403_invalid_webhook_key::webhook_keys;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K409",
    name: "blank-webhook-key",
    severity: Severity::Warning,
    summary: "A Webhook trigger's `key` is empty or blank",
    docs: r#"## What it does
Reports a `Webhook` trigger whose `key` is empty or only whitespace.

## Why
The key is part of the webhook URL: a blank key gives a webhook nobody can call. Kestra 1.x saves
it; Kestra 2.0 refuses it (`must not be blank`, PR #18750).

Severity: an error on Kestra 2.0 (the default target), a warning with
`target-version = "1.3"`.

## Example
```yaml
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ""                 # K409
```
Use instead: a secret-like key, e.g. `key: 4wjtkzwVGBM9yKnjm3yv8r`.
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
        for (node, key) in webhook_keys(ctx) {
            if key.trim().is_empty() {
                out.push(
                    META.diag("webhook key must not be blank", node.span.clone())
                        .with_label("blank key")
                        .with_help("use a key of 1 to 256 characters"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{
        assert_fires, assert_silent, assert_warning_on_1_x_error_on_2_0,
    };

    fn flow(key: &str) -> String {
        format!("id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: hook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: {key}\n")
    }

    #[test]
    fn fires_on_blank_keys() {
        assert_fires("K409", &flow("\" \""), &[(10, 10)]);
        assert_fires("K409", &flow("''"), &[(10, 10)]);
        assert_warning_on_1_x_error_on_2_0("K409", &flow("''"));
    }

    #[test]
    fn silent_on_a_real_key() {
        assert_silent("K409", &flow("abc"));
    }
}
