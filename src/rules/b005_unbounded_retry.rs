use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::Entry;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "B005",
    name: "unbounded-retry",
    severity: Severity::Warning,
    summary: "A retry with neither `maxAttempts` nor `maxDuration`",
    docs: r#"## What it does
Reports a `retry` (on the flow or on a task) that sets neither a number of attempts
(`maxAttempts`, or `maxAttempt`) nor a `maxDuration`.

## Why
A retry without a bound keeps a failing execution alive, holding a worker slot and calling a
broken system again and again, and hides the failure from alerting.

## Example
```yaml
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com
    retry:                   # B005
      type: constant
      interval: PT30S
```
Use instead:
```yaml
    retry:
      type: constant
      interval: PT30S
      maxAttempts: 5
      maxDuration: PT10M
```
"#,
    fixable: false,
    enabled_by_default: false,
    versions: super::Versions::All,
};

const BOUNDS: &[&str] = &["maxAttempts", "maxAttempt", "maxDuration"];

fn check_retry(entry: Option<&Entry>, out: &mut Vec<Diagnostic>) {
    let Some(entry) = entry else { return };
    let Some(map) = entry.value.as_map() else {
        return;
    };
    if map
        .iter()
        .any(|e| e.key_str().is_some_and(|k| BOUNDS.contains(&k)) && !e.value.is_null())
    {
        return;
    }
    out.push(
        META.diag(
            "retry has no `maxAttempts` and no `maxDuration`",
            entry.key.span.clone(),
        )
        .with_label("retries without limit")
        .with_help("bound it with `maxAttempts`, `maxDuration`, or both"),
    );
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        check_retry(flow.entry("retry"), out);
        for task in &flow.tasks {
            check_retry(task.node.entry("retry"), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_with, assert_silent, assert_silent_with};

    const CONFIG: &str = "[lint]\nextend-select = [\"B005\"]\n";

    #[test]
    fn fires_on_unbounded_retries() {
        let yaml = "id: f\nnamespace: n\nretry:\n  type: constant\n  interval: PT1M\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n    retry:\n      type: exponential\n      interval: PT1S\n      maxAttempts:\n";
        assert_fires_with(CONFIG, "B005", yaml, &[(3, 1), (10, 5)]);
    }

    #[test]
    fn silent_when_bounded_or_not_selected() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n    retry:\n      type: constant\n      interval: PT1S\n      maxDuration: PT1H\n";
        assert_silent_with(CONFIG, "B005", yaml);
        assert_silent("B005", &yaml.replace("      maxDuration: PT1H\n", ""));
    }
}
