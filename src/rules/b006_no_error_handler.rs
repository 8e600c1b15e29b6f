use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "B006",
    name: "no-error-handler",
    severity: Severity::Warning,
    summary: "A flow with no `errors` handler",
    docs: r#"## What it does
Reports a flow that has no top-level `errors` tasks (or an empty list).

## Why
Without an `errors` branch a failed execution only shows up in the UI: no alert, no cleanup,
no ticket. Teams that run flows in production usually want every flow to say what happens on
failure (or to inherit it from a shared pattern such as a `Flow` trigger on failed executions,
in which case leave this rule off).

## Example
```yaml
id: etl
namespace: company.data      # B006
tasks:
  - id: load
    type: io.kestra.plugin.core.log.Log
    message: loading
```
Use instead:
```yaml
errors:
  - id: alert
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: "{{ secret('SLACK_WEBHOOK') }}"
    payload: '{"text": "etl failed"}'
```
"#,
    fixable: false,
    enabled_by_default: false,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let has_handler = flow
            .root
            .get("errors")
            .and_then(|e| e.as_seq())
            .is_some_and(|items| !items.is_empty());
        if has_handler {
            return;
        }
        let at = flow
            .entry("errors")
            .or_else(|| flow.entry("id"))
            .map(|e| e.key.span.clone())
            .unwrap_or(0..0);
        out.push(
            META.diag("flow has no `errors` handler", at)
                .with_label("no error handling")
                .with_help("add an `errors:` list of tasks that run when the flow fails"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_with, assert_silent_with};

    const CONFIG: &str = "[lint]\nextend-select = [\"B006\"]\n";
    const TASKS: &str =
        "tasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n";

    #[test]
    fn fires_without_errors() {
        assert_fires_with(
            CONFIG,
            "B006",
            &format!("id: f\nnamespace: n\n{TASKS}"),
            &[(1, 1)],
        );
        assert_fires_with(
            CONFIG,
            "B006",
            &format!("id: f\nnamespace: n\n{TASKS}errors: []\n"),
            &[(7, 1)],
        );
    }

    #[test]
    fn silent_with_errors() {
        let yaml = format!("id: f\nnamespace: n\n{TASKS}errors:\n  - id: e\n    type: io.kestra.plugin.core.log.Log\n    message: failed\n");
        assert_silent_with(CONFIG, "B006", &yaml);
    }
}
