use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K111",
    name: "invalid-label-key",
    severity: Severity::Error,
    summary: "A flow label key does not start with a lower-case letter or has other characters",
    docs: r#"## What it does
Checks every key of the flow's `labels` (map or list form) against Kestra's label-key pattern
`^[\p{Ll}][\p{L}0-9._-]*$`: a lower-case letter first, then letters, digits, `.`, `_` or `-`.

## Why
Kestra refuses such a flow (`must match "^[\p{Ll}][\p{L}0-9._-]*$"`, PR #13499, December 2025,
kestra-io/kestra#11229): keys with spaces, emojis or a leading digit broke label filters and URLs.
Kestra 1.x applies the pattern to the flow's own labels only — not to trigger, Subflow or
ForEachItem labels — and so does this rule. Kestra 2.0 keeps the same pattern.

## Example
```yaml
labels:
  Team: data          # K111
  cost center: x      # K111
```
Use instead:
```yaml
labels:
  team: data
  cost-center: x
```
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// `^[\p{Ll}][\p{L}0-9._-]*$`.
pub fn is_valid_label_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(char::is_lowercase)
        && chars.all(|c| c.is_alphabetic() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for label in &flow.labels {
            let key = label.key;
            if is_valid_label_key(key) {
                continue;
            }
            let mut chars = key.chars();
            let message = match chars.next() {
                None => "label key must not be empty".to_string(),
                Some(c) if !c.is_lowercase() => {
                    format!("label key `{key}` must start with a lower-case letter")
                }
                _ => {
                    let bad = chars
                        .find(|c| {
                            !(c.is_alphabetic()
                                || c.is_ascii_digit()
                                || matches!(c, '.' | '_' | '-'))
                        })
                        .map_or_else(String::new, |c| match c {
                            ' ' => "a space".to_string(),
                            c => format!("`{c}`"),
                        });
                    format!("label key `{key}` contains {bad}, which is not allowed")
                }
            };
            let suggestion: String = key
                .trim()
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
                .to_lowercase();
            let help = if is_valid_label_key(&suggestion) {
                format!(
                    "label keys must match `^[\\p{{Ll}}][\\p{{L}}0-9._-]*$`, e.g. `{suggestion}`"
                )
            } else {
                "label keys must match `^[\\p{Ll}][\\p{L}0-9._-]*$` (a lower-case letter first)"
                    .to_string()
            };
            out.push(
                META.diag(message, label.key_span.clone())
                    .with_label("invalid label key")
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid_label_key;
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn pattern() {
        for ok in [
            "team",
            "app-name",
            "user_id",
            "foo.bar",
            "a",
            "system.readOnly",
            "équipe",
        ] {
            assert!(is_valid_label_key(ok), "{ok}");
        }
        for bad in [
            "Team", "My Label", "0test", "foo@bar", "-foo", "_foo", "", "💩",
        ] {
            assert!(!is_valid_label_key(bad), "{bad}");
        }
    }

    #[test]
    fn fires_on_map_and_list_labels() {
        assert_fires(
            "K111",
            "id: f\nnamespace: n\nlabels:\n  Team: data\n  cost center: x\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
            &[(4, 3), (5, 3)],
        );
        assert_fires(
            "K111",
            "id: f\nnamespace: n\nlabels:\n  - key: 1st\n    value: x\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
            &[(4, 10)],
        );
    }

    #[test]
    fn silent_on_valid_keys_and_trigger_labels() {
        assert_silent(
            "K111",
            "id: f\nnamespace: n\nlabels:\n  team: data\n  app-name.v2: x\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n    labels:\n      Team: x\n",
        );
    }
}
