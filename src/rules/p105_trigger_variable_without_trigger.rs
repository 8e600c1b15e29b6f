use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::first_name;
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P105",
    name: "trigger-variable-without-trigger",
    severity: Severity::Warning,
    summary: "`trigger.*` in a flow that has no triggers",
    docs: r#"## What it does
Reports `trigger.<name>` in a flow with no `triggers`, unless its missing value is handled
(`{{ trigger.date ?? execution.startDate }}`, `| default(…)`, `is defined`). The variables a
Subflow task gives the executions it starts (`trigger.executionId`, `trigger.namespace`,
`trigger.flowId`, `trigger.flowRevision`, `trigger.taskRunId`, `trigger.taskId`) are left alone:
such a flow is meant to run as a subflow.

## Why
`trigger` is only set when a trigger starts the execution. Run from the UI, the API or a test,
the expression fails with "Unable to find `trigger`".

## Example
```yaml
tasks:
  - id: process
    type: io.kestra.plugin.core.log.Log
    message: "Scheduled for {{ trigger.date }}"        # P105
```
Add the Schedule trigger, or write `{{ trigger.date ?? execution.startDate }}`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// What a Subflow task passes to the execution it starts as `trigger`.
const SUBFLOW_VARIABLES: &[&str] = &[
    "executionId",
    "namespace",
    "flowId",
    "flowRevision",
    "taskRunId",
    "taskId",
];

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        if !flow.triggers.is_empty() {
            return;
        }
        for s in ctx.templates {
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            for r in pebble::references(&s.template) {
                if r.root != "trigger" || s.is_guarded(&r.span) {
                    continue;
                }
                if first_name(&r).is_some_and(|(name, _)| SUBFLOW_VARIABLES.contains(&name)) {
                    continue;
                }
                out.push(
                    META.diag(
                        "`trigger` is only set when a trigger starts the execution, and this flow has no triggers",
                        s.file_span(r.span.clone()),
                    )
                    .with_label("undefined when the flow is run by hand")
                    .with_help("add the trigger, or handle its absence: `trigger.date ?? execution.startDate`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const HEAD: &str =
        "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_without_triggers() {
        assert_fires(
            "P105",
            &format!("{HEAD}    message: \"{{{{ trigger.date }}}} {{{{ trigger['body'].x }}}}\"\n"),
            &[(6, 18), (6, 37)],
        );
    }

    #[test]
    fn silent_with_a_trigger_a_guard_or_subflow_variables() {
        assert_silent(
            "P105",
            &format!(
                "{HEAD}    message: \"{{{{ trigger.date ?? execution.startDate }}}} {{{{ trigger.executionId }}}} {{% if trigger is defined %}}x{{% endif %}}\"\n"
            ),
        );
        assert_silent(
            "P105",
            &format!(
                "{HEAD}    message: \"{{{{ trigger.date }}}}\"\ntriggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"@daily\"\n"
            ),
        );
    }
}
