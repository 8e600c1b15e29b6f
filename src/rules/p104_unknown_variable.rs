use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::first_name;
use crate::pebble::{self, names};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P104",
    name: "unknown-variable",
    severity: Severity::Error,
    summary: "`vars.<name>` naming a variable the flow's `variables` do not define",
    docs: r#"## What it does
Reports `vars.<name>` and `vars['<name>']` when the flow's `variables` mapping has no such key,
and suggests the closest one. A reference whose missing value is handled (`?? 'default'`,
`| default(…)`, `is defined`) is left alone, and so are values Kestra does not render and the
`outputs` map of a Subflow task.

## Why
`vars` holds exactly the flow's `variables`. Kestra renders expressions with strict variables, so
a missing key fails the task at run time; Kestra does not check it when the flow is saved.

## Example
```yaml
variables:
  bucket: my-bucket
tasks:
  - id: upload
    type: io.kestra.plugin.core.log.Log
    message: "{{ vars.bucket_name }}"      # P104: did you mean `bucket`?
```
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
        let keys: Vec<&str> = match flow.variables() {
            None => Vec::new(),
            Some(v) if v.is_null() => Vec::new(),
            Some(v) => match v.as_map() {
                Some(entries) => entries.iter().filter_map(|e| e.key_str()).collect(),
                // Not a mapping: Kestra rejects it elsewhere; nothing to compare with.
                None => return,
            },
        };
        for s in ctx.templates {
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            for r in pebble::references(&s.template) {
                if r.root != "vars" {
                    continue;
                }
                let Some((name, segment)) = first_name(&r) else {
                    continue;
                };
                if super::p103_unknown_input::is_declared(&keys, &r) || s.is_guarded(&r.span) {
                    continue;
                }
                let help = match names::suggest(name, keys.iter().copied()) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None if keys.is_empty() => {
                        "this flow has no `variables`; define it there".to_string()
                    }
                    None => format!("add `{name}` to the flow's `variables`"),
                };
                out.push(
                    META.diag(
                        format!("no variable `{name}` in this flow's `variables`"),
                        s.segment_span(segment),
                    )
                    .with_label("undefined variable")
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const TASK: &str = "tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_on_undefined_variables() {
        let yaml = format!(
            "id: f\nnamespace: n\nvariables:\n  bucket: b\n{TASK}    message: \"{{{{ vars.bucket_name }}}} {{{{ vars['region'] }}}}\"\n"
        );
        assert_fires("P104", &yaml, &[(8, 23), (8, 47)]);
        assert_eq!(
            messages("P104", &yaml)[0],
            "no variable `bucket_name` in this flow's `variables`"
        );
        let none = format!("id: f\nnamespace: n\n{TASK}    message: \"{{{{ vars.x }}}}\"\n");
        assert_fires("P104", &none, &[(6, 23)]);
    }

    #[test]
    fn silent_on_defined_and_guarded_variables() {
        assert_silent(
            "P104",
            &format!(
                "id: f\nnamespace: n\nvariables:\n  bucket: b\n  conf:\n    a: 1\n{TASK}    message: \"{{{{ vars.bucket }}}} {{{{ vars.conf.a }}}} {{{{ vars.other ?? 'x' }}}} {{{{ render(vars.bucket) }}}}\"\n"
            ),
        );
    }
}
