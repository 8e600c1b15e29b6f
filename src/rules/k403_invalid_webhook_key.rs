use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;

pub struct Rule;

/// Trigger keys of the Webhook triggers of a flow, with their value nodes.
pub(super) fn webhook_keys<'a>(
    ctx: &'a Context<'_>,
) -> impl Iterator<Item = (&'a crate::yaml::Node, &'a str)> {
    ctx.flow.into_iter().flat_map(|flow| {
        flow.triggers_of_type(types::WEBHOOK).filter_map(|trigger| {
            let node = trigger.node.get("key")?;
            Some((node, node.as_str()?))
        })
    })
}

static META: RuleMeta = RuleMeta {
    code: "K403",
    name: "invalid-webhook-key",
    severity: Severity::Error,
    summary: "A Webhook trigger's `key` is longer than 256 characters",
    docs: r#"## What it does
Reports a `Webhook` trigger whose `key` is longer than 256 characters (a blank key is K409).

## Why
The key is part of the webhook URL. Kestra refuses a longer key (`key: size must be between 0 and
256`, Kestra 1.x and 2.0).

## Example
```yaml
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: aaaa…aaaa          # K403: 300 characters
```
Use instead: a secret-like key of reasonable length, e.g. `key: 4wjtkzwVGBM9yKnjm3yv8r`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

const MAX: usize = 256;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (node, key) in webhook_keys(ctx) {
            let len = key.chars().count();
            if len <= MAX {
                continue;
            }
            out.push(
                META.diag(
                    format!("webhook key is {len} characters long; the maximum is {MAX}"),
                    node.span.clone(),
                )
                .with_label("too long")
                .with_help(format!("use a key of 1 to {MAX} characters")),
            );
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
    fn fires_on_long_keys() {
        assert_fires("K403", &flow(&"a".repeat(257)), &[(10, 10)]);
    }

    #[test]
    fn silent_on_a_normal_or_blank_key() {
        assert_silent("K403", &flow(&"a".repeat(256)));
        assert_silent("K403", &flow("\" \""));
    }
}
