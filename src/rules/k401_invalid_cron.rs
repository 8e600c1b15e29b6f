use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::check_cron;
use crate::flow::types;
use crate::flow::values::sub_span;
use crate::yaml::ScalarValue;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K401",
    name: "invalid-cron",
    severity: Severity::Error,
    summary: "A Schedule trigger's `cron` is not an expression Kestra can parse",
    docs: r#"## What it does
Parses the `cron` of every `Schedule` trigger the way Kestra does (cron-utils with Kestra's own
definition): five fields (minute, hour, day of month, month, day of week), six with
`withSeconds: true` (seconds first), or one of the macros `@yearly`, `@annually`, `@monthly`,
`@weekly`, `@daily`, `@midnight`, `@hourly`. The finding points at the bad field inside the
string and says which field it is and why it is wrong (out of range, unknown name, a range going
backwards, `?`, `L`/`W`/`#` where they are not supported, a step of 0…).

## Why
Kestra refuses the flow: `invalid cron expression '<cron>': <parser message>` (ScheduleValidator,
Kestra 1.x and 2.0). `cron` is never rendered, so an expression in it is refused too.

## Example
```yaml
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 24 * * *"       # K401: hour field `24` is out of range 0-23
```
Use instead: `cron: "0 0 * * *"` (or `@daily`).
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
        for trigger in flow.triggers_of_type(types::SCHEDULE) {
            let Some(node) = trigger.node.get("cron") else {
                continue;
            };
            let Some(cron) = node.as_str() else { continue };
            let with_seconds = match trigger.node.get("withSeconds").and_then(|n| n.as_scalar()) {
                None => false,
                Some(s) => match s.value {
                    ScalarValue::Bool(b) => b,
                    ScalarValue::Null => false,
                    _ => continue,
                },
            };
            if let Err(e) = check_cron(cron, with_seconds) {
                let span = sub_span(&ctx.source.text, node, e.span.clone());
                let label = match (span == node.span, e.field) {
                    (true, _) => "invalid cron expression",
                    (false, Some(_)) => "this field",
                    (false, None) => "here",
                };
                out.push(
                    META.diag(format!("invalid cron expression '{cron}': {}", e.message), span)
                        .with_label(label)
                        .with_help(
                            "fields are minute, hour, day of month, month, day of week (seconds first with `withSeconds: true`); macros: @hourly, @daily, @weekly, @monthly, @yearly",
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const FLOW: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: a\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"0 24 * * *\"\n  - id: b\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: 0 9 * * MONDAY\n  - id: c\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@reboot'\n";

    #[test]
    fn fires_on_the_bad_field() {
        assert_fires("K401", FLOW, &[(10, 14), (13, 19), (16, 12)]);
        assert_eq!(
            messages("K401", FLOW)[0],
            "invalid cron expression '0 24 * * *': hour field `24` is out of range 0-23"
        );
    }

    #[test]
    fn silent_on_valid_expressions() {
        assert_silent(
            "K401",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: a\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"*/15 9-17 * * MON-FRI\"\n  - id: b\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '0 0 9 * * *'\n    withSeconds: true\n  - id: c\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n",
        );
    }
}
