use super::ids::{check_id_node, is_valid_task_id, IdCheck};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K108",
    name: "invalid-trigger-id",
    severity: Severity::Error,
    summary: "A trigger has no id, or its id breaks Kestra's pattern",
    docs: r#"## What it does
Checks that every trigger has an `id` matching `^[a-zA-Z0-9][a-zA-Z0-9_-]*` (the task id pattern:
no dots).

## Why
Kestra refuses to save the flow (`id: must not be null`, `must match "..."`).

## Example
```yaml
triggers:
  - id: every day          # K108: space
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@daily"
```
Use instead: `id: every_day`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let check = IdCheck {
            what: "trigger id",
            pattern: "^[a-zA-Z0-9][a-zA-Z0-9_-]*",
            valid: is_valid_task_id,
            max_len: None,
            lower: false,
        };
        for trigger in &flow.triggers {
            check_id_node(&META, &check, trigger.id_node(), trigger.anchor_span(), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const BASE: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n";

    #[test]
    fn fires() {
        let yaml = format!("{BASE}  - id: every day\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n");
        assert_fires("K108", &yaml, &[(8, 9)]);
    }

    #[test]
    fn silent() {
        let yaml = format!("{BASE}  - id: every_day\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n");
        assert_silent("K108", &yaml);
    }
}
