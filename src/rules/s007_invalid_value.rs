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
list where one item is required.

## Why
Kestra refuses the flow (`must be greater than or equal to 1`, `must match "…"`).

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
            let FindingKind::InvalidValue { message } = &f.kind else {
                continue;
            };
            let property = property_name(&f.pointer);
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
    fn silent_on_valid_value() {
        assert_silent(
            "S007",
            &format!("id: f\nnamespace: n\nrevision: 3\n{TASKS}"),
        );
    }
}
