use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::templates::{dashed_references, first_name};
use crate::pebble::{self, names, Reference};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P103",
    name: "unknown-input",
    severity: Severity::Error,
    summary: "`inputs.<id>` naming an input the flow does not declare",
    docs: r#"## What it does
Reports `inputs.<id>` and `inputs['<id>']` when the flow declares no input with that id (or
legacy `name:`), and suggests the closest input id. Dotted ids are matched as Kestra nests them:
an input `user.email` is read as `inputs.user.email` or `inputs.user`. A reference whose missing
value is handled (`?? 'default'`, `| default(…)`, `is defined`) is left alone, and so are values
Kestra does not render and the `outputs` map of a Subflow task.

## Why
Kestra renders expressions with strict variables: an undeclared input fails the task at run time,
and Kestra does not check it when the flow is saved. It usually comes from a renamed input or a
typo.

## Example
```yaml
inputs:
  - id: customer_id
    type: STRING
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.customerId }}"      # P103: did you mean `customer_id`?
```
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// Is the path under `inputs` one of the declared ids? An id may be dotted (`user.email`), and a
/// reference may stop at a dotted id's first part (`inputs.user`).
pub(crate) fn is_declared(ids: &[&str], r: &Reference) -> bool {
    let mut path = String::new();
    for segment in &r.segments {
        let Some(name) = segment.name.as_deref() else {
            return false;
        };
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
        if ids.iter().any(|id| {
            *id == path
                || id
                    .strip_prefix(path.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        }) {
            return true;
        }
    }
    false
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let ids: Vec<&str> = flow
            .inputs
            .iter()
            .filter_map(|i| i.id().or_else(|| i.node.get_str("name")))
            .collect();
        for s in ctx.templates {
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            let dashed = dashed_references(&s.template, s.text());
            for r in pebble::references(&s.template) {
                if r.root != "inputs" {
                    continue;
                }
                let Some((name, segment)) = first_name(&r) else {
                    continue;
                };
                if is_declared(&ids, &r) || s.is_guarded(&r.span) {
                    continue;
                }
                // `inputs.a-b` is P108's: Pebble reads it as `inputs.a - b`.
                let split = dashed.iter().any(|d| {
                    d.covers(&r.root_span)
                        || (d.first == segment.span
                            && d.names.iter().any(|(n, _)| ids.contains(&n.as_str())))
                });
                if split {
                    continue;
                }
                let help = match names::suggest(name, ids.iter().copied()) {
                    Some(id) => format!("did you mean `{id}`?"),
                    None if ids.is_empty() => "this flow declares no inputs".to_string(),
                    None => format!(
                        "declared inputs: {}",
                        ids.iter()
                            .map(|i| format!("`{i}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(
                    META.diag(
                        format!("no input `{name}` in this flow"),
                        s.segment_span(segment),
                    )
                    .with_label("undeclared input")
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const HEAD: &str = "id: f\nnamespace: n\ninputs:\n  - id: customer_id\n    type: STRING\n  - name: legacy\n    type: STRING\n  - id: user.email\n    type: STRING\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_on_undeclared_inputs() {
        let yaml = format!(
            "{HEAD}    message: \"{{{{ inputs.customerId }}}} {{{{ inputs['other'] }}}} {{{{ inputs.user_email }}}}\"\n"
        );
        assert_fires("P103", &yaml, &[(13, 25), (13, 50), (13, 71)]);
        assert_eq!(
            messages("P103", &yaml)[0],
            "no input `customerId` in this flow"
        );
    }

    #[test]
    fn silent_on_declared_legacy_dotted_and_guarded_inputs() {
        assert_silent(
            "P103",
            &format!(
                "{HEAD}    message: \"{{{{ inputs.customer_id }}}} {{{{ inputs.legacy }}}} {{{{ inputs.user.email }}}} {{{{ inputs.user }}}} {{{{ inputs['user.email'] }}}} {{{{ inputs.opt ?? '' }}}} {{{{ inputs[key] }}}}\"\n"
            ),
        );
    }
}
