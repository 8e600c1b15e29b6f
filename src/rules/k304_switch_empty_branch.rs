use super::k303_switch_without_tasks::is_empty;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K304",
    name: "switch-empty-branch",
    severity: Severity::Warning,
    summary: "A Switch case, or an explicit `defaults`, holds no task",
    docs: r#"## What it does
Reports a `Switch` case whose task list is empty or null (`A: []`), and an explicit empty
`defaults: []`, when the Switch has other tasks (a Switch with no task at all is K303).

## Why
Kestra 1.x saves such a flow, but an execution that takes the empty branch has nothing to run and
never ends (kestra-io/kestra#18500). Kestra's PR #18691 (2.0 line) refuses it at save:
`The case '<key>' must define at least one task.`, and rejects an explicit `defaults: []`.

Severity: an error on Kestra 2.0 (the default target), a warning with
`target-version = "1.3"`.

## Example
```yaml
    cases:
      A: []                 # K304
      B:
        - id: b
          type: io.kestra.plugin.core.log.Log
          message: B
    defaults: []            # K304
```
Use instead: give the case a task (or remove it), and drop `defaults: []`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::RefusedFrom2_0,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        check_flow(ctx, out);
    }
}

fn check_flow(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(flow) = ctx.flow else { return };
    for task in &flow.tasks {
        if !task
            .type_name()
            .is_some_and(|t| types::is(t, types::SWITCH))
        {
            continue;
        }
        let cases = task.node.get("cases");
        let defaults = task.node.entry("defaults");
        if is_empty(cases) && is_empty(defaults.map(|e| &e.value)) {
            continue; // K303
        }
        for case in cases.and_then(|c| c.as_map()).unwrap_or_default() {
            if !is_empty(Some(&case.value)) {
                continue;
            }
            out.push(
                META.diag(
                    format!(
                        "The case '{}' must define at least one task.",
                        case.key_str().unwrap_or_default()
                    ),
                    case.key.span.clone(),
                )
                .with_label("no task in this case")
                .with_help("add a task to the case, or remove the case"),
            );
        }
        if let Some(entry) = defaults {
            if entry.value.as_seq().is_some_and(<[_]>::is_empty) {
                out.push(
                    META.diag(
                        "`defaults` must define at least one task",
                        entry.value.span.clone(),
                    )
                    .with_label("empty `defaults`")
                    .with_help("remove `defaults: []` or add a task to it"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_empty_case_and_empty_defaults() {
        assert_fires(
            "K304",
            "id: f\nnamespace: n\ntasks:\n  - id: s\n    type: io.kestra.plugin.core.flow.Switch\n    value: A\n    cases:\n      A: []\n      B:\n        - id: b\n          type: io.kestra.plugin.core.debug.Return\n          format: B\n    defaults: []\n",
            &[(8, 7), (13, 15)],
        );
    }

    #[test]
    fn silent_on_full_cases() {
        assert_silent(
            "K304",
            "id: f\nnamespace: n\ntasks:\n  - id: s\n    type: io.kestra.plugin.core.flow.Switch\n    value: A\n    cases:\n      B:\n        - id: b\n          type: io.kestra.plugin.core.debug.Return\n          format: B\n",
        );
    }

    #[test]
    fn fires_as_a_warning_on_1_x_and_an_error_on_2_0() {
        crate::rules::test_support::assert_warning_on_1_x_error_on_2_0("K304", "id: f\nnamespace: n\ntasks:\n  - id: s\n    type: io.kestra.plugin.core.flow.Switch\n    value: A\n    cases:\n      A: []\n      B:\n        - id: b\n          type: io.kestra.plugin.core.debug.Return\n          format: B\n");
    }
}
