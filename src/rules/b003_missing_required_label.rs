use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "B003",
    name: "missing-required-label",
    severity: Severity::Warning,
    summary: "A flow without a label required by `[lint.policy] required-labels`",
    docs: r#"## What it does
Reports each label listed in `[lint.policy] required-labels` that the flow does not set, in
either the map form (`labels: {team: data}`) or the list form (`- key: team`). It is on as soon
as `required-labels` is set.

## Why
Labels are how teams filter executions, route alerts and charge costs; a flow without its
`team` or `owner` label is invisible to all of that.

## Example
```toml
[lint.policy]
required-labels = ["team"]
```
```yaml
id: etl
namespace: company.data
labels:
  env: prod                # B003: no `team`
```
Use instead:
```yaml
labels:
  env: prod
  team: data
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
        let at = flow
            .entry("labels")
            .or_else(|| flow.entry("id"))
            .map(|e| e.key.span.clone())
            .unwrap_or(0..0);
        for required in &ctx.policy.required_labels {
            if flow.labels.iter().any(|l| l.key == required) {
                continue;
            }
            out.push(
                META.diag(format!("flow has no `{required}` label"), at.clone())
                    .with_label("required label missing")
                    .with_help(format!("add `{required}: <value>` under `labels`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_with, assert_silent_with};

    const CONFIG: &str = "[lint.policy]\nrequired-labels = [\"team\", \"owner\"]\n";
    const TASKS: &str =
        "tasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n";

    #[test]
    fn fires_for_each_missing_label() {
        let yaml = format!("id: f\nnamespace: n\nlabels:\n  team: data\n{TASKS}");
        assert_fires_with(CONFIG, "B003", &yaml, &[(3, 1)]);
        let yaml = format!("id: f\nnamespace: n\n{TASKS}");
        assert_fires_with(CONFIG, "B003", &yaml, &[(1, 1), (1, 1)]);
    }

    #[test]
    fn silent_when_labels_are_set_in_either_form() {
        let map = format!("id: f\nnamespace: n\nlabels:\n  team: data\n  owner: ana\n{TASKS}");
        assert_silent_with(CONFIG, "B003", &map);
        let list = format!("id: f\nnamespace: n\nlabels:\n  - key: team\n    value: data\n  - key: owner\n    value: ana\n{TASKS}");
        assert_silent_with(CONFIG, "B003", &list);
    }
}
