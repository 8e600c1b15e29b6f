use super::ids::{check_id_node, is_valid_input_id, IdCheck};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K110",
    name: "invalid-output-id",
    severity: Severity::Error,
    summary: "A flow output has no id, or its id breaks Kestra's pattern",
    docs: r#"## What it does
Checks that every flow output has an `id` matching `^[a-zA-Z0-9][.a-zA-Z0-9_-]*`.

## Why
Kestra refuses to save the flow (`id: must not be null`, `must match "..."`).

## Example
```yaml
outputs:
  - id: "@result"          # K110
    type: STRING
    value: "{{ outputs.t.value }}"
```
Use instead: `id: result`.
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
            what: "output id",
            pattern: "^[a-zA-Z0-9][.a-zA-Z0-9_-]*",
            valid: is_valid_input_id,
            max_len: None,
            lower: false,
        };
        for output in &flow.outputs {
            check_id_node(&META, &check, output.id_node(), output.anchor_span(), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    const BASE: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\noutputs:\n";

    #[test]
    fn fires() {
        assert_fires(
            "K110",
            &format!("{BASE}  - id: \"@r\"\n    type: STRING\n    value: x\n"),
            &[(8, 9)],
        );
    }

    #[test]
    fn silent() {
        assert_silent(
            "K110",
            &format!("{BASE}  - id: r.1\n    type: STRING\n    value: x\n"),
        );
    }
}
