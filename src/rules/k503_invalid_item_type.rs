use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K503",
    name: "invalid-item-type",
    severity: Severity::Error,
    summary: "An ARRAY or MULTISELECT input has an `itemType` Kestra refuses",
    docs: r#"## What it does
Reports an `itemType` of ARRAY or MULTISELECT inputs that is itself a list or a choice type, or a
secret: `ARRAY`, `MULTISELECT`, `SELECT`, `ENUM`, `SECRET` (and the newer `OBJECT`, `TABLE`, `FORM`).

## Why
Kestra refuses the flow: `` `itemType` cannot be `ARRAY` `` (Kestra 1.x), `` `itemType` cannot be
SECRET `` (PR #14282, January 2026: a secret cannot be one item of a list, it would be shown and
stored in clear), and the other types in newer releases; on any 1.x release an item of a choice
type cannot be parsed, since an item has no `values`. Kestra 2.0 refuses them all.

## Example
```yaml
inputs:
  - id: tokens
    type: ARRAY
    itemType: SECRET           # K503
```
Use instead: one SECRET input per secret, or `itemType: STRING`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

const REFUSED: &[&str] = &[
    "ARRAY",
    "MULTISELECT",
    "SELECT",
    "ENUM",
    "SECRET",
    "OBJECT",
    "TABLE",
    "FORM",
];

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for input in &flow.inputs {
            if !matches!(input.type_name(), Some("ARRAY" | "MULTISELECT")) {
                continue;
            }
            let Some(node) = input.node.get("itemType") else {
                continue;
            };
            let Some(item) = node.scalar_text() else {
                continue;
            };
            if !REFUSED.contains(&item) {
                continue;
            }
            out.push(
                META.diag(format!("`itemType` cannot be `{item}`"), node.span.clone())
                    .with_label("not allowed as an item type")
                    .with_help(
                        "use a scalar item type such as STRING, INT, FLOAT, BOOL, DATE or JSON",
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_array_and_secret_items() {
        assert_fires(
            "K503",
            "id: f\nnamespace: n\ninputs:\n  - id: a\n    type: ARRAY\n    itemType: ARRAY\n  - id: b\n    type: MULTISELECT\n    values: [x]\n    itemType: SECRET\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
            &[(6, 15), (10, 15)],
        );
    }

    #[test]
    fn silent_on_scalar_items() {
        assert_silent(
            "K503",
            "id: f\nnamespace: n\ninputs:\n  - id: a\n    type: ARRAY\n    itemType: INT\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
        );
    }
}
