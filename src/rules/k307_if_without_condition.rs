use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K307",
    name: "if-without-condition",
    severity: Severity::Warning,
    summary: "An If task has no `condition`",
    docs: r#"## What it does
Reports an `If` task without `condition` (or with `condition:` left empty).

## Why
Kestra 1.x saves such a flow, but the missing condition renders as null, which is false: the
`then` branch can never run. Kestra 2.0 refuses it (`condition: must not be null`, PR #15150).
When the schema in use already requires `condition` (a 2.0 schema), S002 reports it and this rule
stays silent.

Severity: an error on Kestra 2.0 (the default target), a warning with
`target-version = "1.3"`.

## Example
```yaml
  - id: check
    type: io.kestra.plugin.core.flow.If          # K307
    then:
      - id: yes
        type: io.kestra.plugin.core.log.Log
        message: yes
```
Use instead: add `condition: "{{ inputs.run == true }}"`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::RefusedFrom2_0,
};

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
    for task in &flow.tasks {
        if !task.type_name().is_some_and(|t| types::is(t, types::IF)) {
            continue;
        }
        if task.node.get("condition").is_some_and(|c| !c.is_null()) {
            continue;
        }
        let schema_says = ctx.schema_findings.iter().any(|f| {
                f.pointer == task.pointer
                    && matches!(&f.kind, FindingKind::MissingRequired { property, .. } if property == "condition")
            });
        if schema_says {
            continue;
        }
        out.push(
            META.diag("`If` task has no `condition`", task.anchor_span())
                .with_label("no `condition`: `then` never runs")
                .with_help("add `condition:` with an expression, e.g. `\"{{ inputs.run }}\"`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_without_condition() {
        assert_fires(
            "K307",
            "id: f\nnamespace: n\ntasks:\n  - id: if\n    type: io.kestra.plugin.core.flow.If\n    then:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: m\n",
            &[(4, 9)],
        );
    }

    #[test]
    fn silent_with_condition() {
        assert_silent(
            "K307",
            "id: f\nnamespace: n\ntasks:\n  - id: if\n    type: io.kestra.plugin.core.flow.If\n    condition: \"{{ true }}\"\n    then:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: m\n",
        );
    }

    #[test]
    fn fires_as_a_warning_on_1_x_and_an_error_on_2_0() {
        crate::rules::test_support::assert_warning_on_1_x_error_on_2_0("K307", "id: f\nnamespace: n\ntasks:\n  - id: if\n    type: io.kestra.plugin.core.flow.If\n    then:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: m\n");
    }
}
