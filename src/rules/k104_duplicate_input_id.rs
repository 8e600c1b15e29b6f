use super::ids::{item_ids, report_duplicates};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K104",
    name: "duplicate-input-id",
    severity: Severity::Error,
    summary: "Two inputs in one flow share an id",
    docs: r#"## What it does
Reports an input id declared more than once in `inputs`.

## Why
Kestra refuses the flow (`Duplicate input with name [...]`): `inputs.<id>` must name one value.

## Example
```yaml
inputs:
  - id: region
    type: STRING
  - id: region          # K104
    type: SELECT
    values: [eu, us]
```
Use instead: give the second input its own id, or remove one of them.
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
            "input id",
            item_ids(&flow.inputs),
            "input ids must be unique within a flow",
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const BASE: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ninputs:\n";

    #[test]
    fn fires() {
        let yaml = format!("{BASE}  - id: a\n    type: STRING\n  - id: a\n    type: INT\n");
        assert_fires("K104", &yaml, &[(10, 9)]);
    }

    #[test]
    fn silent() {
        let yaml = format!("{BASE}  - id: a\n    type: STRING\n  - id: b\n    type: INT\n");
        assert_silent("K104", &yaml);
    }
}
