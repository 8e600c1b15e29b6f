use super::ids::{item_ids, report_duplicates};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K103",
    name: "duplicate-trigger-id",
    severity: Severity::Error,
    summary: "Two triggers in one flow share an id",
    docs: r#"## What it does
Reports a trigger id used more than once in `triggers`.

## Why
Kestra refuses the flow (`Duplicate trigger id with name [...]`): a trigger's state (last
evaluation, backfill, disabled flag) is stored under its id.

## Example
```yaml
triggers:
  - id: schedule
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
  - id: schedule        # K103
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 18 * * *"
```
Use instead: `id: morning` and `id: evening`.
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
        report_duplicates(
            &META,
            "trigger id",
            item_ids(&flow.triggers),
            "trigger ids must be unique within a flow",
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const BASE: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n";

    #[test]
    fn fires() {
        let yaml = format!("{BASE}  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n  - id: s\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: k\n");
        assert_fires("K103", &yaml, &[(11, 9)]);
    }

    #[test]
    fn silent() {
        let yaml = format!("{BASE}  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n  - id: w\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: k\n");
        assert_silent("K103", &yaml);
    }
}
