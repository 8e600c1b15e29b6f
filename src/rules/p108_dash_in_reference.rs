use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::flow::templates::dashed_references;
use crate::yaml::edit::Editor;
use crate::yaml::ScalarStyle;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P108",
    name: "dash-in-reference",
    severity: Severity::Error,
    summary: "`inputs.a-b` or `outputs.a-b`, which Pebble reads as a subtraction",
    docs: r#"## What it does
Reports `inputs.<id>`, `outputs.<id>` and `tasks.<id>` where the id of a declared input or of
a task contains a dash, written with a dot, anywhere in an expression or tag
(`{{ inputs.start-date | date('yyyy') }}`, `{% if outputs.get-data.code == 200 %}`). The safe
fix rewrites it with brackets: `inputs['start-date']`.

## Why
Pebble reads `inputs.start-date` as `inputs.start - date`: the subtraction of two variables
that do not exist, which fails at run time. Kestra reports the simplest form,
`{{ inputs.a-b }}`, when the flow is saved ("use inputs[key-name] instead of
inputs.key-name"), with a text pattern; P108 is the Pebble-aware version of that save-time
check: it finds the dash in any expression and fixes it. (There is no separate K rule for it.)

## Example
```yaml
inputs:
  - id: start-date
    type: DATE
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.start-date }}"        # P108
```
Fixed (`--fix`): `message: "{{ inputs['start-date'] }}"`.
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
        let Some(flow) = ctx.flow else { return };
        let inputs: Vec<&str> = flow
            .inputs
            .iter()
            .filter_map(|i| i.id().or_else(|| i.node.get_str("name")))
            .collect();
        let tasks: Vec<&str> = flow.tasks.iter().filter_map(|t| t.id()).collect();
        for s in ctx.templates {
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            for d in dashed_references(&s.template, s.text()) {
                let declared = if d.root == "inputs" { &inputs } else { &tasks };
                let Some((name, span)) =
                    d.names.iter().find(|(n, _)| declared.contains(&n.as_str()))
                else {
                    continue;
                };
                let (first, rest) = name.split_once('-').unwrap_or((name, ""));
                let root = &d.root;
                // Inside a single-quoted YAML scalar a `'` would need doubling: use `"` there.
                let quote = if s.style() == ScalarStyle::SingleQuoted {
                    '"'
                } else {
                    '\''
                };
                let fixed = format!("{root}[{quote}{name}{quote}]");
                let what = if root == "inputs" { "input" } else { "task" };
                let mut diag = META
                    .diag(
                        format!(
                            "`{root}.{name}` is read as `{root}.{first} - {}`: an id with a dash needs brackets",
                            rest.replace('-', " - ")
                        ),
                        s.file_span(span.clone()),
                    )
                    .with_label(format!("the {what} `{name}`, split at the dash"))
                    .with_help(format!("write `{fixed}`"));
                let editor = Editor::new(&ctx.source.text, ctx.doc);
                if let Some(edit) = editor.replace_in_scalar(s.node, span.clone(), &fixed) {
                    diag = diag.with_fix(
                        Fix::safe(format!("write `{fixed}`"), vec![edit])
                            .with_targets([s.pointer.clone()]),
                    );
                }
                out.push(diag);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, lint, messages};

    const HEAD: &str = "id: f\nnamespace: n\ninputs:\n  - id: start-date\n    type: STRING\ntasks:\n  - id: get-data-now\n    type: io.kestra.plugin.core.log.Log\n";

    fn fixes(yaml: &str) -> Vec<(String, String)> {
        let (source, diags) = lint(yaml);
        diags
            .iter()
            .filter(|d| d.code == "P108")
            .filter_map(|d| d.fix.as_ref())
            .map(|f| {
                let e = &f.edits[0];
                (source.text[e.span.clone()].to_string(), e.content.clone())
            })
            .collect()
    }

    #[test]
    fn fires_with_a_fix_anywhere_in_an_expression() {
        let yaml = format!(
            "{HEAD}    message: \"{{{{ inputs.start-date | upper }}}} {{% if outputs.get-data-now.code == 1 %}}y{{% endif %}}\"\n"
        );
        assert_fires("P108", &yaml, &[(9, 18), (9, 53)]);
        assert_eq!(
            messages("P108", &yaml)[1],
            "`outputs.get-data-now` is read as `outputs.get - data - now`: an id with a dash needs brackets"
        );
        assert_eq!(
            fixes(&yaml),
            [
                ("inputs.start-date".into(), "inputs['start-date']".into()),
                (
                    "outputs.get-data-now".into(),
                    "outputs['get-data-now']".into()
                )
            ]
        );
        // Nothing else is reported for the split names.
        let (_, diags) = lint(&yaml);
        assert!(
            diags.iter().all(|d| !matches!(d.code, "P101" | "P103")),
            "{diags:#?}"
        );
    }

    #[test]
    fn fix_uses_double_quotes_in_a_single_quoted_scalar() {
        let yaml = format!("{HEAD}    message: '{{{{ inputs.start-date }}}}'\n");
        assert_fires("P108", &yaml, &[(9, 18)]);
        assert_eq!(
            fixes(&yaml),
            [("inputs.start-date".into(), "inputs[\"start-date\"]".into())]
        );
    }

    #[test]
    fn silent_on_brackets_spaced_subtraction_and_undeclared_names() {
        assert_silent(
            "P108",
            &format!(
                "{HEAD}    message: \"{{{{ inputs['start-date'] }}}} {{{{ inputs.start - date }}}} {{{{ outputs.other-task.x }}}} {{{{ inputs.n-1 }}}}\"\n"
            ),
        );
    }
}
