use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P001",
    name: "unquoted-expression",
    severity: Severity::Error,
    summary: "A value starting with `{{` or `{%` without quotes, which YAML reads as a mapping",
    docs: r#"## What it does
Reports a value that starts with `{{` (or `{%`) and is not quoted, and offers a safe fix that
wraps the value in double quotes.

## Why
In YAML, `{` starts a flow mapping: `message: {{ inputs.name }}` is a mapping inside a mapping,
not a string, and `message: {{ inputs.name }} done` does not parse at all. Kestra then rejects
the flow with a confusing type error or "Illegal flow source". Many published examples fall into
this trap.

## Example
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: {{ inputs.name }}          # P001
```
Fixed (`--fix`):
```yaml
    message: "{{ inputs.name }}"
```
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
        for span in &ctx.doc.unquoted_templates {
            let value = &ctx.source.text[span.clone()];
            let quoted = crate::yaml::quote_template(value);
            out.push(
                META.diag(
                    "this expression must be quoted: YAML reads an unquoted `{` as the start of a mapping",
                    span.clone(),
                )
                .with_label("unquoted Pebble expression")
                .with_help(format!("write it as a quoted string: {quoted}"))
                .with_fix(Fix::safe(
                    "wrap the value in double quotes",
                    vec![Edit {
                        span: span.clone(),
                        content: quoted,
                    }],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, lint};

    const HEAD: &str =
        "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_when_it_parses_as_a_mapping_and_when_it_does_not_parse() {
        assert_fires(
            "P001",
            &format!("{HEAD}    message: {{{{ inputs.name }}}}\n"),
            &[(6, 14)],
        );
        let broken = format!("{HEAD}    message: {{{{ inputs.name }}}} says \"hi\" # note\n");
        assert_fires("P001", &broken, &[(6, 14)]);
        let (source, diags) = lint(&broken);
        let fix = diags
            .iter()
            .find(|d| d.code == "P001")
            .unwrap()
            .fix
            .clone()
            .unwrap();
        assert_eq!(
            &source.text[fix.edits[0].span.clone()],
            "{{ inputs.name }} says \"hi\""
        );
        assert_eq!(fix.edits[0].content, r#""{{ inputs.name }} says \"hi\"""#);
        // The syntax error is explained by P001 alone.
        assert!(diags.iter().all(|d| d.code != "Y001"), "{diags:#?}");
    }

    #[test]
    fn an_item_of_a_flow_list_is_quoted_alone() {
        let yaml = format!("{HEAD}    message: [{{{{ inputs.a }}}}, b]\n");
        let (source, diags) = lint(&yaml);
        let fix = diags
            .iter()
            .find(|d| d.code == "P001")
            .and_then(|d| d.fix.clone())
            .unwrap();
        assert_eq!(&source.text[fix.edits[0].span.clone()], "{{ inputs.a }}");
        assert_eq!(fix.edits[0].content, "\"{{ inputs.a }}\"");
    }

    #[test]
    fn yaml_broken_for_another_reason_is_y001_not_p001() {
        // The tab breaks the file; the value above it parses (as a mapping) either way.
        let yaml = format!("{HEAD}    message: {{{{ inputs.name }}}} done\n\tlevel: INFO\n");
        let (_, diags) = lint(&yaml);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"Y001"), "{codes:?}");
        let tab = format!("{HEAD}    message: {{{{ inputs.name }}}}\n\tlevel: INFO\n");
        // Here the value did parse, as a mapping (P001), before the tab broke the file (Y001).
        let (_, diags) = lint(&tab);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["P001", "Y001"]);
    }

    #[test]
    fn an_error_after_the_expression_is_still_y001() {
        let yaml = format!("{HEAD}    message: {{{{ inputs.name }}}} done\n    level: [INFO\n");
        let (_, diags) = lint(&yaml);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["P001", "Y001"], "{diags:#?}");
        // Where the parser stops in the quoted text, in this text's offsets.
        let quoted = yaml.replace("{{ inputs.name }} done", "\"{{ inputs.name }} done\"");
        let (_, after) = lint(&quoted);
        assert_eq!(after[0].code, "Y001");
        assert_eq!(diags[1].primary.span.start + 2, after[0].primary.span.start);
    }

    #[test]
    fn silent_on_quoted_values_flow_maps_and_block_text() {
        assert_silent(
            "P001",
            &format!("{HEAD}    message: \"{{{{ inputs.name }}}}\"\n    labels: {{a: 1}}\n    script: |\n      x: {{{{ y }}}}\n"),
        );
    }
}
