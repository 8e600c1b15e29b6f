use super::s003_invalid_type::property_name;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "S004",
    name: "invalid-enum-value",
    severity: Severity::Error,
    summary: "A value outside the property's allowed values",
    docs: r#"## What it does
Reports a value that is not one of the property's allowed values, with the allowed values and
the closest one.

## Why
Kestra refuses the flow (`Cannot deserialize value of type … from String "X": not one of the
values accepted for Enum class`).

## Example
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
    level: WARNING        # S004: did you mean `WARN`?
```

## Fix
Kestra 2.0 spells the state `CANCELLED`: a `CANCELED` where the schema allows `CANCELLED`
(Exit `state`, a Flow trigger's `states`) gets a safe fix to the new spelling, as
kestra-migrate does. Other values have no fix.
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for f in ctx.schema_findings {
            let FindingKind::InvalidEnum {
                value,
                allowed,
                suggestion,
            } = &f.kind
            else {
                continue;
            };
            let property = property_name(&f.pointer);
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`? allowed values: {allowed}"),
                None => format!("allowed values: {allowed}"),
            };
            let mut d = META
                .diag(
                    format!("`{value}` is not an allowed value for `{property}`"),
                    f.span.clone(),
                )
                .with_label("not allowed")
                .with_help(help);
            // Kestra 2.0 spells the state `CANCELLED` (kestra-migrate's rename).
            if value == "CANCELED" && allowed.contains("CANCELLED") {
                let fix = ctx
                    .flow
                    .and_then(|flow| flow.root.pointer(&f.pointer))
                    .and_then(|node| {
                        let editor = crate::yaml::edit::Editor::new(&ctx.source.text, ctx.doc);
                        crate::rewrite::props::cancelled(&editor, node)
                    });
                if let Some(fix) = fix {
                    d = d.with_fix(fix);
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, lint};

    #[test]
    fn fires_with_suggestion() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    level: WARNING\n";
        assert_fires("S004", yaml, &[(7, 12)]);
        let (_, diags) = lint(yaml);
        let help = diags
            .iter()
            .find(|d| d.code == "S004")
            .unwrap()
            .help
            .clone()
            .unwrap();
        assert!(help.starts_with("did you mean `WARN`?"), "{help}");
    }

    #[test]
    fn silent_on_allowed_value_or_expression() {
        assert_silent("S004", "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    level: \"{{ inputs.level }}\"\n");
    }

    #[test]
    fn canceled_becomes_cancelled() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.execution.Exit\n    state: 'CANCELED'\n";
        assert_eq!(
            crate::rules::test_support::fixed("S004", yaml),
            Some((yaml.replace("CANCELED", "CANCELLED"), true))
        );
        let level = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    level: WARNING\n";
        assert_eq!(crate::rules::test_support::fixed("S004", level), None);
    }
}
