use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::ScalarValue;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K508",
    name: "input-default-with-optional-or-prefill",
    severity: Severity::Error,
    summary: "An input with `defaults` is also `required: false`, or has a `prefill`",
    docs: r#"## What it does
On the Kestra 2.0 target, reports an input that has `defaults` and also `required: false`, or
`defaults` and `prefill`.

## Why
Kestra 2.0 refuses both at save: "Inputs with a default value must be required, since the
default is always applied." and "Inputs with a default value cannot also have a prefill."
(Kestra 1.x accepts them.)

## Example
```yaml
inputs:
  - id: region
    type: STRING
    defaults: eu-west-1
    required: false          # K508
```
Use instead: drop `required: false` (the default always applies), or use `prefill` without
`defaults` for a suggested value the user may clear.

## Fix
`--fix` removes `required: false` (a safe fix, as kestra-migrate does: Kestra 1.x applied the
default anyway, so the input behaves the same). `prefill` beside `defaults` has no fix: which
one to keep is a choice.
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::Only2_0,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for input in &flow.inputs {
            let Some(defaults) = input.node.entry("defaults").filter(|e| !e.value.is_null()) else {
                continue;
            };
            let optional = input.node.entry("required").filter(|e| {
                e.value
                    .as_scalar()
                    .is_some_and(|s| s.value == ScalarValue::Bool(false))
            });
            if let Some(required) = optional {
                let d = META.diag(
                        "Inputs with a default value must be required, since the default is always applied.",
                        required.key.span.clone(),
                    )
                    .with_label("`required: false` beside `defaults`")
                    .with_secondary(defaults.key.span.clone(), "the default")
                    .with_help("remove `required: false`");
                let editor = crate::yaml::edit::Editor::new(&ctx.source.text, ctx.doc);
                let d =
                    match crate::rewrite::props::drop_required_false(&editor, input.node, required)
                    {
                        Some(fix) => d.with_fix(fix.with_targets([input.pointer.clone()])),
                        None => d,
                    };
                out.push(d);
            }
            if let Some(prefill) = input.node.entry("prefill").filter(|e| !e.value.is_null()) {
                out.push(
                    META.diag(
                        "Inputs with a default value cannot also have a prefill.",
                        prefill.key.span.clone(),
                    )
                    .with_label("`prefill` beside `defaults`")
                    .with_secondary(defaults.key.span.clone(), "the default")
                    .with_help(
                        "keep one: `defaults` always applies, `prefill` only suggests a value",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, assert_silent_1_3};

    const BOTH: &str = "id: f\nnamespace: n\ninputs:\n  - id: a\n    type: STRING\n    defaults: x\n    required: false\n  - id: b\n    type: STRING\n    defaults: x\n    prefill: y\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    #[test]
    fn fires_on_optional_and_prefill_beside_defaults() {
        assert_fires("K508", BOTH, &[(7, 5), (11, 5)]);
        assert_silent_1_3("K508", BOTH);
    }

    #[test]
    fn silent_on_required_defaults_and_prefill_alone() {
        assert_silent(
            "K508",
            "id: f\nnamespace: n\ninputs:\n  - id: a\n    type: STRING\n    defaults: x\n  - id: b\n    type: STRING\n    required: false\n    prefill: y\n  - id: c\n    type: STRING\n    required: false\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n",
        );
    }

    #[test]
    fn removes_required_false_as_a_safe_fix() {
        let (text, safe) = crate::rules::test_support::fixed("K508", BOTH).unwrap();
        assert!(safe);
        assert_eq!(text, BOTH.replace("    required: false\n", ""));
    }
}
