use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P112",
    name: "removed-pebble-usage",
    severity: Severity::Error,
    summary: "A Pebble argument or variable Kestra 2.0 removed (`version=`, `schedule`)",
    docs: r#"## What it does
On the Kestra 2.0 target, reports:
- `read(…, version=…)` and `fileURI(…, version=…)`: the namespace-file argument is `revision=`;
- the `schedule` variable (`{{ schedule.date }}`), gone in 2.0: use `trigger.date`
  (`trigger.next`, `trigger.previous`).

## Why
Kestra 2.0 renamed the argument and dropped the variable; the expression fails when it is
rendered.

## Example
```yaml
    message: "{{ read('data.csv', version=3) }}"     # P112
```
Use instead: `{{ read('data.csv', revision=3) }}`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only2_0,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for s in ctx.templates {
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            for call in pebble::calls(&s.template) {
                if !matches!(call.name, "read" | "fileURI") {
                    continue;
                }
                for arg in call.args {
                    let Some((name, span)) = &arg.name else {
                        continue;
                    };
                    if name == "version" {
                        out.push(
                            META.diag(
                                format!(
                                    "`{}()` has no `version` argument in Kestra 2.0",
                                    call.name
                                ),
                                s.file_span(span.clone()),
                            )
                            .with_label("renamed")
                            .with_help("use `revision=`"),
                        );
                    }
                }
            }
            for r in pebble::references(&s.template) {
                if r.root == "schedule" && !s.is_guarded(&r.span) {
                    out.push(
                        META.diag(
                            "Kestra 2.0 removed the `schedule` variable",
                            s.file_span(r.root_span.clone()),
                        )
                        .with_label("removed")
                        .with_help("use `trigger.date` (and `trigger.next`, `trigger.previous`)"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, assert_silent_1_3};

    const OLD: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ read('a.csv', version=3) }} {{ schedule.date }}\"\n";

    #[test]
    fn fires_on_version_and_schedule() {
        assert_fires("P112", OLD, &[(6, 32), (6, 49)]);
        assert_silent_1_3("P112", OLD);
    }

    #[test]
    fn silent_on_revision_and_trigger_date() {
        assert_silent(
            "P112",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ read('a.csv', revision=3) }} {{ trigger.date ?? now() }} {% set schedule = 1 %}{{ schedule }}\"\n",
        );
    }
}
