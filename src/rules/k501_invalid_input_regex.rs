use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::check_java_regex;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K501",
    name: "invalid-input-regex",
    severity: Severity::Error,
    summary:
        "An input's `validator` (or a SELECT/ENUM/MULTISELECT value) is not a valid Java regex",
    docs: r#"## What it does
Checks that the `validator` of STRING and SECRET inputs compiles as a Java regular expression, and
so do the items of `values` (and the deprecated `options`) of SELECT, ENUM and MULTISELECT inputs,
which Kestra also declares as patterns. Unclosed groups or classes, a quantifier with nothing to
repeat, escapes Java does not know… are reported with the reason.

## Why
Kestra refuses the flow: `invalid pattern [<value>]` (`@Regex`, Kestra 1.x and 2.0).

## Example
```yaml
inputs:
  - id: code
    type: STRING
    validator: "[A-Z"          # K501: unclosed character class
```
Use instead: `validator: "[A-Z]+"`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

fn report(node: &Node, what: &str, out: &mut Vec<Diagnostic>) {
    let Some(pattern) = node.as_str() else { return };
    if let Err(reason) = check_java_regex(pattern) {
        let reason = reason.strip_prefix("invalid pattern: ").unwrap_or(&reason);
        out.push(
            META.diag(format!("invalid pattern [{pattern}]: {reason}"), node.span.clone())
                .with_label(format!("{what} is not a valid Java regex"))
                .with_help("Kestra compiles this text with java.util.regex.Pattern; escape special characters with `\\`"),
        );
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for input in &flow.inputs {
            match input.type_name() {
                Some("STRING" | "SECRET") => {
                    if let Some(v) = input.node.get("validator") {
                        report(v, "the validator", out);
                    }
                }
                Some("SELECT" | "ENUM" | "MULTISELECT") => {
                    for key in ["values", "options"] {
                        let items = input.node.get(key).and_then(Node::as_seq);
                        for item in items.unwrap_or_default() {
                            report(item, "this value", out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_a_lone_backslash_and_a_bad_value() {
        assert_fires(
            "K501",
            "id: f\nnamespace: n\ninputs:\n  - id: bad\n    type: STRING\n    validator: \\\n  - id: s\n    type: SELECT\n    values: [ok, \"*\"]\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
            &[(6, 16), (9, 18)],
        );
    }

    #[test]
    fn silent_on_valid_patterns() {
        assert_silent(
            "K501",
            "id: f\nnamespace: n\ninputs:\n  - id: ok\n    type: STRING\n    validator: '^[A-Z]{2}\\d+$'\n  - id: s\n    type: SELECT\n    values: [C++, a.b, \"x (y)\"]\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
        );
    }
}
