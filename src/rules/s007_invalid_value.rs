use super::s003_invalid_type::property_name;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "S007",
    name: "invalid-value",
    severity: Severity::Error,
    summary: "A value outside the property's limits or pattern",
    docs: r#"## What it does
Reports a value that has the right type but breaks a constraint of its property: a minimum or
maximum, a length, a pattern (with Java's whole-value matching, as Kestra applies it), an empty
list where one item is required. Also a literal duration that Java's `Duration.parse` refuses
where the schema says `format: duration` (retry `interval`, `timeout`, Sleep `duration`, SLA
`duration`, …), with its ISO-8601 form when the text reads as one (`30 seconds` → `PT30S`).

## Why
Kestra refuses the flow (`must be greater than or equal to 1`, `must match "…"`). A duration in
words fails when the flow is saved (retry, SLA) or when the task renders it (`timeout`, Sleep).

## Example
```yaml
concurrency:
  limit: 0                # S007: must be at least 1
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
            let property = property_name(&f.pointer);
            if let FindingKind::InvalidDuration {
                value,
                reason,
                suggestion,
            } = &f.kind
            {
                let help = match suggestion {
                    Some(iso) => format!("write it in ISO-8601: `{iso}`"),
                    None => "an ISO-8601 duration: `PT30S`, `PT5M`, `PT1H30M`, `P1D`".to_string(),
                };
                out.push(
                    META.diag(
                        format!("invalid duration `{value}` for `{property}`: {reason}"),
                        f.span.clone(),
                    )
                    .with_label("not an ISO-8601 duration")
                    .with_help(help),
                );
                continue;
            }
            let FindingKind::InvalidValue { message } = &f.kind else {
                continue;
            };
            out.push(
                META.diag(
                    format!("invalid value for `{property}`: {message}"),
                    f.span.clone(),
                )
                .with_label(message.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const TASKS: &str =
        "tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";

    #[test]
    fn fires_on_minimum() {
        assert_fires(
            "S007",
            &format!("id: f\nnamespace: n\nrevision: 0\n{TASKS}"),
            &[(3, 11)],
        );
    }

    #[test]
    fn fires_on_durations_java_refuses_with_the_iso_form() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    timeout: 5 minutes\n    retry:\n      type: constant\n      interval: 30 seconds\n      maxAttempts: 2\n  - id: s\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: P1W\n";
        assert_fires("S007", yaml, &[(7, 14), (10, 17), (14, 15)]);
        let (_, diags) = crate::rules::test_support::lint(yaml);
        let s007: Vec<_> = diags.iter().filter(|d| d.code == "S007").collect();
        assert_eq!(
            s007[1].message,
            "invalid duration `30 seconds` for `interval`: a duration starts with `P`"
        );
        assert_eq!(
            s007[1].help.as_deref(),
            Some("write it in ISO-8601: `PT30S`")
        );
        assert_eq!(
            s007[0].help.as_deref(),
            Some("write it in ISO-8601: `PT5M`")
        );
    }

    #[test]
    fn fires_on_an_sla_duration() {
        let yaml = "id: f\nnamespace: n\nsla:\n  - id: slow\n    type: MAX_DURATION\n    behavior: FAIL\n    duration: 2 hours\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
        assert_fires("S007", yaml, &[(7, 15)]);
        let (_, diags) = crate::rules::test_support::lint(yaml);
        let d = diags.iter().find(|d| d.code == "S007").unwrap();
        assert_eq!(d.help.as_deref(), Some("write it in ISO-8601: `PT2H`"));
    }

    #[test]
    fn silent_on_iso_durations_and_expressions() {
        assert_silent(
            "S007",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    timeout: PT5M\n    retry:\n      type: constant\n      interval: pt30s\n      maxAttempts: 2\n  - id: s\n    type: io.kestra.plugin.core.flow.Sleep\n    duration: \"{{ inputs.wait }}\"\n",
        );
    }

    #[test]
    fn silent_on_valid_value() {
        assert_silent(
            "S007",
            &format!("id: f\nnamespace: n\nrevision: 3\n{TASKS}"),
        );
    }
}
