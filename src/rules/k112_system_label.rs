use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::{labels_of, types, Label};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K112",
    name: "system-label",
    severity: Severity::Error,
    summary: "A `system.*` label is set by the flow, a trigger, or a Subflow/ForEachItem task",
    docs: r#"## What it does
Reports a label whose key starts with `system.` in the flow's `labels` (except
`system.readOnly`), in a trigger's `labels`, and in the `labels` a `Subflow` or `ForEachItem` task
gives to the executions it starts.

## Why
Kestra reserves `system.*` labels for itself (`system.correlationId`, `system.username`,
`system.app`…) and refuses the flow: `System labels can only be set by Kestra itself, offending
label: <key>=<value>` (FlowValidator for flow labels, `NoSystemLabelValidation` for the others,
where even `system.readOnly` is refused). Same rule in Kestra 1.x and 2.0.

## Example
```yaml
labels:
  system.correlationId: abc     # K112
  system.readOnly: "true"       # allowed: marks the flow read-only in the UI
```
Use instead: a key of your own, e.g. `correlation-id: abc`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

const READ_ONLY: &str = "system.readOnly";

fn report(label: &Label<'_>, owner: &str, out: &mut Vec<Diagnostic>) {
    let value = label.value.and_then(|v| v.scalar_text()).unwrap_or("null");
    out.push(
        META.diag(
            format!(
                "System labels can only be set by Kestra itself, offending label: {}={value}",
                label.key
            ),
            label.key_span.clone(),
        )
        .with_label(format!("reserved label on {owner}"))
        .with_help("`system.*` labels are set by Kestra; use a key of your own"),
    );
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let is_system = |l: &Label<'_>| l.key.starts_with("system.");
        for label in flow
            .labels
            .iter()
            .filter(|l| is_system(l) && l.key != READ_ONLY)
        {
            report(label, "the flow", out);
        }
        for trigger in &flow.triggers {
            for label in labels_of(trigger.node).iter().filter(|l| is_system(l)) {
                report(label, "a trigger", out);
            }
        }
        for task in &flow.tasks {
            if !task.type_name().is_some_and(types::is_subflow_call) {
                continue;
            }
            for label in labels_of(task.node).iter().filter(|l| is_system(l)) {
                report(label, "the subflow executions", out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const FLOW: &str = r#"id: f
namespace: n
labels:
  system.label: system_key
  system.readOnly: "true"
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: n
    flowId: other
    labels:
      - key: system.readOnly
        value: "true"
triggers:
  - id: s
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "@daily"
    labels:
      system.app: x
"#;

    #[test]
    fn fires_on_flow_subflow_and_trigger_labels() {
        assert_fires("K112", FLOW, &[(4, 3), (12, 14), (19, 7)]);
        assert_eq!(
            messages("K112", FLOW)[0],
            "System labels can only be set by Kestra itself, offending label: system.label=system_key"
        );
    }

    #[test]
    fn silent_on_read_only_and_own_labels() {
        assert_silent(
            "K112",
            "id: f\nnamespace: n\nlabels:\n  system.readOnly: \"true\"\n  systemic: x\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
        );
    }
}
