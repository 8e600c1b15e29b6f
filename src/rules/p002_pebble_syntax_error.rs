use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P002",
    name: "pebble-syntax-error",
    severity: Severity::Error,
    summary: "A Pebble expression or tag that does not parse",
    docs: r#"## What it does
Parses every `{{ … }}`, `{% … %}` and `{# … #}` in every string of the flow — script bodies
included — the way Kestra's Pebble engine does, and reports each syntax error at its exact
position: an unterminated `{{`, an unclosed string, a stray token, an `{% if %}` without
`{% endif %}`. Text that is not Pebble (shell `${VAR}`, JSON, a lone `{`) is left alone, and so is
everything inside `{% raw %}`, and so are values Kestra does not render: descriptions, input
`displayName`s, flow `labels`, static properties, and flow `variables` that no `render()` reads
(Kestra prints a variable's text as written; set `[lint] recursive-rendering = true` when your
server renders variables recursively).

## Why
Kestra does not parse Pebble when a flow is saved: a broken expression is only found when an
execution reaches it and fails.

## Example
```yaml
    message: "{{ outputs.fetch.body | jq('.id') }"     # P002: unterminated `{{`
```
Use instead: `"{{ outputs.fetch.body | jq('.id') }}"`.
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
        for s in ctx.templates {
            if !s.is_rendered(ctx.schema_findings) {
                continue;
            }
            for err in &s.template.errors {
                let mut span = s.file_span(err.span.clone());
                if span.is_empty() {
                    let len = ctx.source.text[span.start..]
                        .chars()
                        .next()
                        .map_or(0, char::len_utf8);
                    span = span.start..span.start + len;
                }
                out.push(
                    META.diag(format!("Pebble syntax error: {}", err.message), span)
                        .with_label("here")
                        .with_help("Kestra only finds this when an execution renders the value; fix the expression"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const HEAD: &str =
        "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_at_the_exact_position() {
        assert_fires(
            "P002",
            &format!("{HEAD}    message: \"{{{{ response.statusCode == 200 &!? }}}}\"\n"),
            &[(6, 45)],
        );
        assert_fires(
            "P002",
            &format!("{HEAD}    message: |\n      echo {{{{ trigger.uri') }}}}\n"),
            &[(7, 26)],
        );
    }

    #[test]
    fn silent_on_valid_pebble_and_non_pebble_text() {
        assert_silent(
            "P002",
            &format!("{HEAD}    message: |\n      echo ${{HOME}} {{\"a\": {{\"b\": 1}}}} {{{{ inputs.x ?? 'd' }}}}\n      {{% raw %}}{{{{ not parsed {{% endraw %}}\n"),
        );
    }

    #[test]
    fn silent_where_kestra_does_not_render() {
        let yaml = "id: f\nnamespace: n\ndescription: \"{{ broken\"\nlabels:\n  team: \"{{ oops\"\ninputs:\n  - id: a\n    type: STRING\n    displayName: \"{{ nope\"\n    description: \"{{ nope\"\nvariables:\n  raw: \"{{ never rendered\"\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ vars.raw }}\"\n";
        assert_silent("P002", yaml);
    }

    #[test]
    fn fires_in_variables_passed_to_render_or_with_recursive_rendering() {
        use crate::rules::test_support::{assert_fires_with, positions_with, settings};
        let head = "id: f\nnamespace: n\nvariables:\n  a: \"{{ broken\"\n  b: \"{{ also\"\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";
        let rendered =
            format!("{head}    message: \"{{{{ render(vars.a) }}}} {{{{ vars.b }}}}\"\n");
        assert_fires("P002", &rendered, &[(4, 7)]);
        let plain = format!("{head}    message: \"{{{{ vars.a }}}}\"\n");
        assert!(positions_with(&settings(""), "P002", &plain).is_empty());
        assert_fires_with(
            "[lint]\nrecursive-rendering = true\n",
            "P002",
            &plain,
            &[(4, 7), (5, 7)],
        );
    }
}
