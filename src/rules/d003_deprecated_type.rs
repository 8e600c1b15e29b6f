use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "D003",
    name: "deprecated-type",
    severity: Severity::Warning,
    summary: "A plugin type the schema marks as deprecated",
    docs: r#"## What it does
Reports a task, trigger or condition whose type is deprecated (`Echo`, `EachSequential`,
`Template`, `MultipleCondition`, …).

## Why
Kestra lists it as deprecated when the flow is saved; most of these types are removed in
Kestra 2.0 (for example `Echo` → `Log`, `EachSequential`/`EachParallel` → `ForEach`, then `Loop`).

## Example
```yaml
  - id: say
    type: io.kestra.plugin.core.debug.Echo     # D003: use io.kestra.plugin.core.log.Log
    format: hello
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
        for f in ctx.schema_findings {
            let FindingKind::DeprecatedType { name } = &f.kind else {
                continue;
            };
            out.push(
                META.diag(format!("`{name}` is deprecated"), f.span.clone())
                    .with_label("deprecated type")
                    .with_help("check the plugin's documentation for its replacement; deprecated types are removed in Kestra 2.0"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent};

    #[test]
    fn fires_on_echo() {
        assert_fires_1_3("D003", "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Echo\n    format: hi\n", &[(5, 11)]);
    }

    #[test]
    fn silent_on_log() {
        assert_silent("D003", "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n");
    }
}
