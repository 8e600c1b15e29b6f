use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::check_input_value;
use crate::flow::values::to_literal;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K502",
    name: "invalid-file-input-default",
    severity: Severity::Error,
    summary: "A FILE input's `defaults` is not a `file://` or `nsfile://` URI",
    docs: r#"## What it does
Reports the `defaults` of a FILE input unless it is a `file://` URI (a local file the server
allows) or a `nsfile://` URI (a namespace file). Defaults with expressions are not checked.

## Why
Kestra refuses the flow: ``inputs of type 'FILE' only support `defaults` as local files using a
file URI or as namespace files using a nsfile URI`` (FileInputValidator, Kestra 1.x and 2.0).
Kestra 0.21 refused any default (``no `defaults` can be set for inputs of type 'FILE'``).

## Example
```yaml
inputs:
  - id: data
    type: FILE
    defaults: data.csv           # K502
```
Use instead: `defaults: nsfile:///data.csv` (a namespace file).
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
        for input in flow.inputs.iter().filter(|i| i.type_name() == Some("FILE")) {
            let Some(node) = input.node.get("defaults") else {
                continue;
            };
            if let Err(message) = check_input_value("FILE", &to_literal(node), None, None) {
                out.push(
                    META.diag(
                        format!(
                            "Invalid default for input '{}': {message}",
                            input.input_id().unwrap_or("?")
                        ),
                        node.span.clone(),
                    )
                    .with_label("not a file:// or nsfile:// URI")
                    .with_help("point at a namespace file, e.g. `nsfile:///data.csv`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    fn flow(default: &str) -> String {
        format!("id: f\nnamespace: n\ninputs:\n  - id: file\n    type: FILE\n    defaults: {default}\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n")
    }

    #[test]
    fn fires_on_a_plain_name() {
        assert_fires("K502", &flow("something"), &[(6, 15)]);
        assert_fires("K502", &flow("https://example.com/a.csv"), &[(6, 15)]);
    }

    #[test]
    fn silent_on_file_uris_and_expressions() {
        assert_silent("K502", &flow("nsfile:///data.csv"));
        assert_silent("K502", &flow("file:///data/input.csv"));
        assert_silent("K502", &flow("\"{{ vars.file }}\""));
    }
}
