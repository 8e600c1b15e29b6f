use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "D002",
    name: "deprecated-property",
    severity: Severity::Warning,
    summary: "A property the schema marks as deprecated",
    docs: r#"## What it does
Reports a property marked `$deprecated` in the schema: flow `listeners` and `taskDefaults`,
retry `maxAttempt`, and plugin properties scheduled for removal.

## Why
Kestra lists these as deprecated when a flow is saved; many are removed in Kestra 2.0.

## Example
```yaml
taskDefaults:              # D002: use pluginDefaults
  - type: io.kestra.plugin.core.log.Log
    values:
      level: WARN
```
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
        for f in ctx.schema_findings {
            let FindingKind::DeprecatedProperty { name, owner } = &f.kind else {
                continue;
            };
            out.push(
                META.diag(
                    format!("`{name}` is deprecated on {owner}"),
                    f.span.clone(),
                )
                .with_label("deprecated")
                .with_help(format!("run `kestra-lint rule D002` and check the plugin's documentation for the replacement of `{name}`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent};

    const TASKS: &str =
        "tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";

    #[test]
    fn fires_on_task_defaults_and_listeners() {
        assert_fires_1_3(
            "D002",
            &format!("id: f\nnamespace: n\n{TASKS}taskDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\nlisteners:\n  - tasks:\n      - id: l\n        type: io.kestra.plugin.core.log.Log\n        message: x\n"),
            &[(7, 1), (11, 1)],
        );
    }

    #[test]
    fn silent_on_plugin_defaults() {
        assert_silent(
            "D002",
            &format!("id: f\nnamespace: n\n{TASKS}pluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\n"),
        );
    }
}
