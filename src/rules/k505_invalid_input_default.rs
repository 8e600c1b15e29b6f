use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::check_input_value;
use crate::flow::values::to_literal;
use crate::flow::Item;
use crate::yaml::{Node, ScalarValue};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K505",
    name: "invalid-input-default",
    severity: Severity::Warning,
    summary: "An input's `defaults` is not a valid value of the input's type",
    docs: r#"## What it does
Parses a literal `defaults` the way Kestra parses an input value of that type: INT (32-bit), FLOAT,
BOOL/BOOLEAN, DATETIME, DATE, TIME, DURATION (ISO-8601), JSON, URI, EMAIL, ARRAY and MULTISELECT
(items of `itemType`), and SELECT/ENUM/MULTISELECT values that must be one of `values` (unless
`allowCustomValue: true` or the values come from an `expression`). Defaults containing `{{` or
`{%` are not checked; FILE defaults are K502. Where the schema already reports the wrong YAML type
(a string for an INT), this rule stays silent.

## Why
Kestra 1.x saves the flow, but every execution that uses the default fails on input validation
(`Invalid input for ...`). Kestra 2.0 refuses it at save: `Invalid default for input '<id>':
`<value>` is not a valid <TYPE> value` or the input's own message (PR #18750).

Severity: an error on Kestra 2.0 (the default target), a warning with
`target-version = "1.3"`.

## Example
```yaml
inputs:
  - id: day
    type: DATE
    defaults: "2024-02-30"       # K505: not a valid DATE value
  - id: env
    type: SELECT
    values: [dev, prod]
    defaults: production         # K505: not one of the allowed values
```
Use instead: `defaults: "2024-02-29"` and `defaults: prod`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::RefusedFrom2_0,
};

/// The allowed values of a SELECT/ENUM/MULTISELECT, when they are fixed.
pub fn fixed_values<'a>(input: &Item<'a>) -> Option<Vec<&'a str>> {
    let custom = input.node.get("allowCustomValue").and_then(Node::as_scalar);
    if custom.is_some_and(|s| s.value == ScalarValue::Bool(true))
        || input.node.get("expression").is_some()
    {
        return None;
    }
    let list = input
        .node
        .get("values")
        .or_else(|| input.node.get("options"))
        .and_then(Node::as_seq)?;
    list.iter().map(Node::scalar_text).collect()
}

/// Check one literal against an input; `Err` holds Kestra's kind of message.
pub fn check_against(input: &Item<'_>, value: &Node) -> Result<(), String> {
    let Some(ty) = input.type_name() else {
        return Ok(());
    };
    let values = match ty {
        "SELECT" | "ENUM" | "MULTISELECT" => fixed_values(input),
        _ => None,
    };
    let item_type = input.node.get_str("itemType");
    let values_ref = values.as_deref();
    check_input_value(ty, &to_literal(value), values_ref, item_type)
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        check_flow(ctx, out);
    }
}

fn check_flow(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(flow) = ctx.flow else { return };
    for input in &flow.inputs {
        if input.type_name().is_none_or(|t| t == "FILE") {
            continue;
        }
        let Some(node) = input.node.get("defaults") else {
            continue;
        };
        let pointer = format!("{}/defaults", input.pointer);
        if ctx
            .schema_findings
            .iter()
            .any(|f| f.pointer == pointer || f.pointer.starts_with(&format!("{pointer}/")))
        {
            continue;
        }
        if let Err(message) = check_against(input, node) {
            out.push(
                META.diag(
                    format!(
                        "Invalid default for input '{}': {message}",
                        input.input_id().unwrap_or("?")
                    ),
                    node.span.clone(),
                )
                .with_label(format!(
                    "not a valid {} value",
                    input.type_name().unwrap_or("")
                ))
                .with_help("fix the default, or remove it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const FLOW: &str = "id: f\nnamespace: n\ninputs:\n  - id: day\n    type: DATE\n    defaults: \"2024-02-30\"\n  - id: env\n    type: SELECT\n    values: [dev, prod]\n    defaults: production\n  - id: wait\n    type: DURATION\n    defaults: PT\n  - id: n\n    type: INT\n    defaults: abc\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    #[test]
    fn fires_on_bad_literals_but_not_where_the_schema_reports() {
        assert_fires("K505", FLOW, &[(6, 15), (10, 15), (13, 15)]);
        assert!(
            messages("K505", FLOW)[0].starts_with("Invalid default for input 'day': `2024-02-30`")
        );
    }

    #[test]
    fn silent_on_valid_and_dynamic_defaults() {
        assert_silent(
            "K505",
            "id: f\nnamespace: n\ninputs:\n  - id: day\n    type: DATE\n    defaults: \"2024-02-29\"\n  - id: env\n    type: SELECT\n    values: [dev, prod]\n    defaults: prod\n  - id: free\n    type: SELECT\n    values: [a]\n    allowCustomValue: true\n    defaults: other\n  - id: when\n    type: DATETIME\n    defaults: \"{{ now() }}\"\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
        );
    }

    #[test]
    fn fires_as_a_warning_on_1_x_and_an_error_on_2_0() {
        crate::rules::test_support::assert_warning_on_1_x_error_on_2_0("K505", FLOW);
    }
}
