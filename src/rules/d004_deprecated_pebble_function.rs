use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::flow::templates::ParsedString;
use crate::pebble::{self, names, Span};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "D004",
    name: "deprecated-pebble-function",
    severity: Severity::Warning,
    summary: "A deprecated Pebble filter or function (`json`)",
    docs: r#"## What it does
Reports the deprecated `json` filter (use `toJson`) and `json()` function (use `fromJson()`),
with a safe fix that renames them. The `is json` test is not deprecated and is left alone, and
so is a macro named `json`.

## Why
Both still work in Kestra 1.x but are removed in Kestra 2.0, where the flow fails at run time.
The new names do the same thing.

Severity: an error on Kestra 2.0 (the default target), a warning with `target-version = "1.3"`.

## Example
```yaml
    message: "{{ outputs.api.body | json }} {{ json(inputs.payload).id }}"    # D004 twice
```
Fixed (`--fix`):
```yaml
    message: "{{ outputs.api.body | toJson }} {{ fromJson(inputs.payload).id }}"
```
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::RefusedFrom2_0,
};

fn report(
    ctx: &Context<'_>,
    s: &ParsedString<'_>,
    name_span: &Span,
    message: String,
    replacement: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mut diag = META
        .diag(message, s.file_span(name_span.clone()))
        .with_label(if ctx.target.is_2_0() {
            "removed in Kestra 2.0"
        } else {
            "deprecated"
        })
        .with_help(format!(
            "use `{replacement}`, which does the same; Kestra 2.0 removes the old name"
        ));
    if let Some(span) = s.exact_file_span(&ctx.source.text, name_span.clone()) {
        diag = diag.with_fix(Fix::safe(
            format!("rename to `{replacement}`"),
            vec![Edit {
                span,
                content: replacement.to_string(),
            }],
        ));
    }
    out.push(diag);
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for s in ctx.templates {
            if !s.is_rendered(ctx.schema_findings) {
                continue;
            }
            for f in pebble::filters(&s.template) {
                if let Some(r) = names::filter(f.name).and_then(|n| n.replacement) {
                    let message = if ctx.target.is_2_0() {
                        format!(
                            "the `{}` filter was removed in Kestra 2.0: use `{r}`",
                            f.name
                        )
                    } else {
                        format!("the `{}` filter is deprecated: use `{r}`", f.name)
                    };
                    report(ctx, s, &f.name_span, message, r, out);
                }
            }
            let macros = pebble::macro_names(&s.template);
            for c in pebble::calls(&s.template) {
                if macros.contains(&c.name) {
                    continue;
                }
                if let Some(r) = names::function(c.name).and_then(|n| n.replacement) {
                    let message = if ctx.target.is_2_0() {
                        format!("`{}()` was removed in Kestra 2.0: use `{r}()`", c.name)
                    } else {
                        format!("`{}()` is deprecated: use `{r}()`", c.name)
                    };
                    report(ctx, s, &c.name_span, message, r, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{
        assert_fires, assert_silent, assert_warning_on_1_x_error_on_2_0, lint, messages,
        messages_1_3,
    };

    const HEAD: &str =
        "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_on_the_json_filter_and_function_with_fixes() {
        let yaml = format!(
            "{HEAD}    message: \"{{{{ x | json }}}} {{{{ json(y).id }}}} {{% filter json %}}z{{% endfilter %}}\"\n"
        );
        assert_fires("D004", &yaml, &[(6, 22), (6, 33), (6, 57)]);
        assert_warning_on_1_x_error_on_2_0("D004", &yaml);
        assert_eq!(
            messages("D004", &yaml)[1],
            "`json()` was removed in Kestra 2.0: use `fromJson()`"
        );
        assert_eq!(
            messages_1_3("D004", &yaml),
            [
                "the `json` filter is deprecated: use `toJson`",
                "`json()` is deprecated: use `fromJson()`",
                "the `json` filter is deprecated: use `toJson`"
            ]
        );
        let (source, diags) = lint(&yaml);
        let edits: Vec<_> = diags
            .iter()
            .filter(|d| d.code == "D004")
            .map(|d| {
                let e = &d.fix.as_ref().unwrap().edits[0];
                (&source.text[e.span.clone()], e.content.as_str())
            })
            .collect();
        assert_eq!(
            edits,
            [("json", "toJson"), ("json", "fromJson"), ("json", "toJson")]
        );
    }

    #[test]
    fn silent_on_the_json_test_new_names_and_macros() {
        assert_silent(
            "D004",
            &format!(
                "{HEAD}    message: \"{{{{ x is json }}}} {{{{ x | toJson }}}} {{{{ fromJson(y) }}}} {{% macro json(a) %}}{{{{ a }}}}{{% endmacro %}}{{{{ json(1) }}}}\"\n"
            ),
        );
    }
}
