use super::{Context, RuleMeta};
use crate::config::Edition;
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K206",
    name: "enterprise-worker-group",
    severity: Severity::Warning,
    summary: "A task or trigger sets `workerGroup`, an Enterprise Edition feature",
    docs: r#"## What it does
Reports `workerGroup` on a task or a trigger.

## Why
Worker groups exist only in Kestra Enterprise Edition: the open-source server refuses the flow
(`tasks[0].workerGroup: Worker Group is an Enterprise Edition functionality`). On Enterprise
Edition the property is fine, so this is a warning of its own code: ignore `K206` in the
configuration when your server is EE, or raise it to an error for an open-source server:

```toml
[lint.severity]
K206 = "error"   # open-source server; use `ignore = ["K206"]` on Enterprise Edition
```
Kestra 2.0 replaces `workerGroup` by `workerSelector` (still EE only).

## Example
```yaml
tasks:
  - id: heavy
    type: io.kestra.plugin.scripts.python.Script
    script: print(1)
    workerGroup:            # K206
      key: gpu
```
Use instead (open source): remove `workerGroup`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only1x,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let severity = match ctx.edition {
            Some(Edition::Ee) => return,
            Some(Edition::Oss) => Severity::Error,
            None => META.severity,
        };
        let items = flow
            .tasks
            .iter()
            .map(|t| (&t.item, "task"))
            .chain(flow.triggers.iter().map(|t| (t, "trigger")));
        for (item, what) in items {
            let Some(entry) = item.node.entry("workerGroup") else {
                continue;
            };
            if entry.value.is_null() {
                continue;
            }
            let help = if severity == Severity::Error {
                "the open-source server refuses this flow; remove `workerGroup`"
            } else {
                "the open-source server refuses this flow; set `edition = \"ee\"` (or \"oss\") in the configuration"
            };
            let mut d = META
                .diag(
                    "Worker Group is an Enterprise Edition functionality",
                    entry.key.span.clone(),
                )
                .with_label(format!("worker group on a {what}"))
                .with_help(help);
            d.severity = severity;
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::test_support::{assert_fires_1_3, assert_silent_1_3, settings};

    #[test]
    fn fires_on_task_and_trigger_worker_groups() {
        assert_fires_1_3(
            "K206",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n    workerGroup:\n      key: toto\ntriggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n    workerGroup:\n      key: toto\n",
            &[(7, 5), (13, 5)],
        );
    }

    #[test]
    fn follows_the_edition() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n    workerGroup:\n      key: toto\n";
        let severity = |config: &str| {
            let (_, diags) =
                crate::rules::test_support::lint_with(&settings(config), "test.yml", yaml);
            diags
                .iter()
                .filter(|d| d.code == "K206")
                .map(|d| d.severity)
                .collect::<Vec<_>>()
        };
        let v13 = "target-version = \"1.3\"\n";
        assert_eq!(severity(v13), [Severity::Warning]);
        assert_eq!(
            severity(&format!("{v13}edition = \"oss\"\n")),
            [Severity::Error]
        );
        assert_eq!(severity(&format!("{v13}edition = \"ee\"\n")), []);
        // Kestra 2.0 has no worker groups: K802 reports the key.
        assert_eq!(severity("edition = \"oss\"\n"), []);
    }

    #[test]
    fn silent_without_worker_group() {
        assert_silent_1_3(
            "K206",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n",
        );
    }
}
