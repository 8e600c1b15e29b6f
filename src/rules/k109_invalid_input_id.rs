use super::ids::{check_id_node, is_valid_input_id, IdCheck};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K109",
    name: "invalid-input-id",
    severity: Severity::Error,
    summary: "An input has no id, or its id breaks Kestra's pattern",
    docs: r#"## What it does
Checks that every input has an `id` matching `^[a-zA-Z0-9][.a-zA-Z0-9_-]*`. The legacy `name`
key is accepted in place of `id` (Kestra 1.x maps it to `id`; it is removed in 2.0).

## Why
Kestra refuses to save the flow (`id: must not be null`, `must match "..."`).

## Example
```yaml
inputs:
  - id: start date        # K109: space
    type: DATE
```
Use instead: `id: start_date`.
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
        let check = IdCheck {
            what: "input id",
            pattern: "^[a-zA-Z0-9][.a-zA-Z0-9_-]*",
            valid: is_valid_input_id,
            max_len: None,
            lower: false,
        };
        for input in &flow.inputs {
            let id = input.id_node().or_else(|| input.node.get("name"));
            check_id_node(&META, &check, id, input.anchor_span(), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const BASE: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ninputs:\n";

    #[test]
    fn fires() {
        assert_fires(
            "K109",
            &format!("{BASE}  - id: start date\n    type: DATE\n  - type: STRING\n"),
            &[(8, 9), (10, 11)],
        );
    }

    #[test]
    fn silent_with_dots_and_legacy_name() {
        assert_silent(
            "K109",
            &format!("{BASE}  - id: a.b\n    type: STRING\n  - name: legacy\n    type: STRING\n"),
        );
    }
}
