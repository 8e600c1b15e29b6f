use super::ids::{item_ids, report_duplicates};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K105",
    name: "duplicate-output-id",
    severity: Severity::Error,
    summary: "Two flow outputs share an id",
    docs: r#"## What it does
Reports a flow output id declared more than once in the flow's `outputs`.

## Why
Kestra refuses the flow (`Duplicate output with name [...]`).

## Example
```yaml
outputs:
  - id: result
    type: STRING
    value: "{{ outputs.a.value }}"
  - id: result          # K105
    type: STRING
    value: "{{ outputs.b.value }}"
```
Use instead: distinct ids such as `result_a` and `result_b`.
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
        report_duplicates(
            &META,
            "output id",
            item_ids(&flow.outputs),
            "flow output ids must be unique within a flow",
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const BASE: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\noutputs:\n";

    #[test]
    fn fires() {
        let yaml = format!("{BASE}  - id: o\n    type: STRING\n    value: x\n  - id: o\n    type: STRING\n    value: y\n");
        assert_fires("K105", &yaml, &[(11, 9)]);
    }

    #[test]
    fn silent() {
        let yaml = format!("{BASE}  - id: o\n    type: STRING\n    value: x\n");
        assert_silent("K105", &yaml);
    }
}
