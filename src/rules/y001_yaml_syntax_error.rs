use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "Y001",
    name: "yaml-syntax-error",
    severity: Severity::Error,
    summary: "The file is not valid YAML",
    docs: r#"## What it does
Reports the first YAML syntax error, at the position where the parser stopped, in plain words.
A file that does not parse is not linted further.

## Why
Kestra rejects the flow with `Illegal flow source: YAML syntax error`, without a useful position.

## Example
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
	message: hi          # Y001: a tab in the indentation
```
Use spaces for indentation. A value that starts with `{{` must be quoted:
`message: "{{ inputs.name }} done"`.
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
        let Some(err) = &ctx.doc.syntax_error else {
            return;
        };
        // An unquoted `{{` explains the error better (P001); an error after it is still ours.
        if ctx.doc.syntax_error_explained {
            return;
        }
        let text = &ctx.source.text;
        let end = text[err.offset..]
            .chars()
            .next()
            .map_or(err.offset, |c| err.offset + c.len_utf8());
        let mut d = META
            .diag(format!("invalid YAML: {}", err.message), err.offset..end)
            .with_label("the parser stopped here");
        let line = ctx.source.line_text(ctx.source.line_col(err.offset).line);
        if err.message.contains("tab") || line.starts_with('\t') {
            d = d.with_help("YAML does not allow tabs for indentation; indent with spaces");
        } else if line.contains("{{") || line.contains("{%") {
            d = d.with_help(
                "a value that starts with `{` is read as a YAML mapping; quote Pebble expressions: `key: \"{{ … }}\"`",
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_at_the_parser_position() {
        assert_fires("Y001", "id: f\nnamespace: n\ntasks: [a, b\n", &[(3, 8)]);
    }

    #[test]
    fn silent_on_valid_yaml() {
        assert_silent("Y001", "id: f\nnamespace: n\ntasks: []\n");
    }
}
