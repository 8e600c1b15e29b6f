use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::check_timezone;
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K402",
    name: "invalid-timezone",
    severity: Severity::Error,
    summary: "A Schedule trigger's `timezone` is not a Java time-zone ID",
    docs: r#"## What it does
Checks the `timezone` of every `Schedule` trigger the way Java's `ZoneId.of` reads it: a region of
the time-zone database (`Europe/Paris`, case-sensitive), `UTC`/`GMT`/`UT` with an optional offset,
or an offset such as `+02:00`. Short names such as `PST` or `CEST` are refused. A close region is
suggested ("did you mean").

## Why
Kestra refuses the flow: `timezone '(<value>)' is not a valid time-zone ID` (`@TimezoneId`,
Kestra 1.x and 2.0). The value is not rendered, so an expression is refused too.

## Example
```yaml
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
    timezone: Europe/Pari       # K402: did you mean `Europe/Paris`?
```
Use instead: `timezone: Europe/Paris`.
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
            let Some(node) = trigger.node.get("timezone") else {
                continue;
            };
            let Some(zone) = node.scalar_text() else {
                continue;
            };
            if node.is_null() {
                continue;
            }
            if let Err(message) = check_timezone(zone) {
                out.push(
                    META.diag(message, node.span.clone())
                        .with_label("not a time-zone ID")
                        .with_help("use a region of the time-zone database such as `Europe/Paris`, `UTC`, or an offset such as `+02:00`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const FLOW: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: a\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: '@daily'\n    timezone: Europe/Pari\n";

    #[test]
    fn fires_with_a_suggestion() {
        assert_fires("K402", FLOW, &[(11, 15)]);
        assert!(messages("K402", FLOW)[0].contains("did you mean `Europe/Paris`?"));
    }

    #[test]
    fn silent_on_valid_zones() {
        assert_silent("K402", &FLOW.replace("Europe/Pari", "Europe/Paris"));
        assert_silent("K402", &FLOW.replace("Europe/Pari", "\"+02:00\""));
    }
}
