use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::check_input_value;
use crate::flow::values::to_literal;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K601",
    name: "invalid-output-value",
    severity: Severity::Warning,
    summary: "A flow output's literal `value` is not a valid value of its `type`",
    docs: r#"## What it does
Parses a literal `value` of a flow output of a scalar type the way Kestra converts it: INT,
FLOAT, BOOL/BOOLEAN, DATETIME, DATE, TIME, DURATION, URI, EMAIL. Values with `{{` or `{%`, and
other types, are not checked.

## Why
Kestra 1.x saves the flow, and the execution fails when it converts its outputs at the end.
Kestra 2.0 refuses it at save: ``Invalid value for output '<id>': `<value>` is not a valid <TYPE>
value`` (PR #19529).

Severity: an error on Kestra 2.0 (the default target), a warning with
`target-version = "1.3"`.

## Example
```yaml
outputs:
  - id: rows
    type: INT
    value: many           # K601
```
Use instead: `value: "{{ outputs.count.value }}"` or a number.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::RefusedFrom2_0,
};

const CHECKED: &[&str] = &[
    "INT", "FLOAT", "BOOL", "BOOLEAN", "DATETIME", "DATE", "TIME", "DURATION", "URI", "EMAIL",
];

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
    for output in &flow.outputs {
        let Some(ty) = output.node.get_str("type") else {
            continue;
        };
        if !CHECKED.contains(&ty) {
            continue;
        }
        let Some(node) = output.node.get("value") else {
            continue;
        };
        if let Err(message) = check_input_value(ty, &to_literal(node), None, None) {
            out.push(
                META.diag(
                    format!(
                        "Invalid value for output '{}': {message}",
                        output.id().unwrap_or("?")
                    ),
                    node.span.clone(),
                )
                .with_label(format!("not a valid {ty} value"))
                .with_help("use a value of the output's type, or an expression"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    fn flow(value: &str) -> String {
        format!("id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\noutputs:\n  - id: rows\n    type: INT\n    value: {value}\n")
    }

    #[test]
    fn fires_on_a_word_for_an_int() {
        assert_fires("K601", &flow("many"), &[(10, 12)]);
    }

    #[test]
    fn silent_on_numbers_and_expressions() {
        assert_silent("K601", &flow("42"));
        assert_silent("K601", &flow("\"{{ outputs.t.value }}\""));
    }

    #[test]
    fn fires_as_a_warning_on_1_x_and_an_error_on_2_0() {
        crate::rules::test_support::assert_warning_on_1_x_error_on_2_0("K601", &flow("many"));
    }
}
