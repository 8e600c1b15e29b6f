use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K504",
    name: "values-and-options",
    severity: Severity::Error,
    summary: "A MULTISELECT input sets both `values` and the deprecated `options`",
    docs: r#"## What it does
Reports a MULTISELECT input that has both `values` and `options`.

## Why
`options` is the old name of `values`. Kestra refuses the input: ``you can't define both `values`
and `options` `` (Kestra 1.x). Kestra 2.0 removes `options` (then S001 reports it as unknown).

## Example
```yaml
  - id: multi
    type: MULTISELECT
    values: [A, B]
    options: [X, Y]           # K504
```
Use instead: keep only `values`.
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
        for input in flow
            .inputs
            .iter()
            .filter(|i| i.type_name() == Some("MULTISELECT"))
        {
            let (Some(values), Some(options)) =
                (input.node.entry("values"), input.node.entry("options"))
            else {
                continue;
            };
            if values.value.is_null() || options.value.is_null() {
                continue;
            }
            out.push(
                META.diag(
                    "you can't define both `values` and `options`",
                    options.key.span.clone(),
                )
                .with_label("deprecated name of `values`")
                .with_secondary(values.key.span.clone(), "`values` is set here")
                .with_help("remove `options` (merge its items into `values` if needed)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const FLOW: &str = "id: f\nnamespace: n\ninputs:\n  - id: multi\n    type: MULTISELECT\n    values:\n      - A\n    options:\n      - X\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    #[test]
    fn fires_on_both() {
        assert_fires("K504", FLOW, &[(8, 5)]);
    }

    #[test]
    fn silent_on_values_only() {
        assert_silent("K504", &FLOW.replace("    options:\n      - X\n", ""));
    }
}
