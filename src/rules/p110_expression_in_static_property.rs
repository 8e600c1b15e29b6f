use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P110",
    name: "expression-in-static-property",
    severity: Severity::Warning,
    summary: "A `{{ … }}` in a property that Kestra does not render",
    docs: r#"## What it does
Reports a string holding `{{ … }}` or `{% … %}` in a property that the schema marks as not
dynamic (`"$dynamic": false`): a task's `description`, `retry`, `workerGroup` or `logLevel`, a
Schedule's `cron` and `timezone`, a Subflow's `wait`, a ForEach's `concurrencyLimit`, …

## Why
Kestra renders only dynamic properties. In a static one the expression is kept as literal text
(a `description` shows `{{ inputs.name }}` as is) or fails to convert when the property is not a
string (`wait: "{{ inputs.wait }}"`).

## Example
```yaml
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "{{ vars.cron }}"          # P110: `cron` is not rendered
```
Write the value itself: `cron: "0 2 * * *"`. A `description` that documents an expression can
keep it; suppress the warning there.
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
        for f in ctx.schema_findings {
            let FindingKind::StaticExpression { name } = &f.kind else {
                continue;
            };
            out.push(
                META.diag(
                    format!("`{name}` is not a dynamic property: Kestra will not render this expression"),
                    f.span.clone(),
                )
                .with_label("kept as literal text")
                .with_help("write the value itself; expressions are rendered only in dynamic properties"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_static_properties() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    description: \"Logs {{ inputs.name }}\"\n    message: hi\ntriggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"{{ vars.cron }}\"\n";
        assert_fires("P110", yaml, &[(6, 18), (11, 11)]);
    }

    #[test]
    fn silent_on_dynamic_properties_and_plain_text() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    description: plain text\n    message: \"{{ inputs.name }}\"\n  - id: f\n    type: io.kestra.plugin.core.storage.FilterItems\n    from: \"{{ outputs.t.uri }}\"\n    filterCondition: \"{{ product_id == 20 }}\"\n";
        assert_silent("P110", yaml);
    }
}
