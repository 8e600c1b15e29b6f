use super::ids::{check_id_node, is_valid_flow_id, IdCheck, FLOW_ID_MAX};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K101",
    name: "invalid-flow-id",
    severity: Severity::Error,
    summary: "The flow id breaks Kestra's pattern or length limit",
    docs: r#"## What it does
Checks the flow `id` against Kestra's pattern `^[a-zA-Z0-9][a-zA-Z0-9._-]*` (the whole id must
match) and its 100-character limit, and that it is a non-blank string.

## Why
Kestra refuses to save the flow (`id: must match "..."`, `size must be between 1 and 100`).

## Example
```yaml
id: my flow#1      # K101: space and `#` are not allowed
```
Use instead:
```yaml
id: my_flow_1
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
        let Some(flow) = ctx.flow else { return };
        let Some(entry) = flow.entry("id") else {
            return;
        };
        let check = IdCheck {
            what: "flow id",
            pattern: "^[a-zA-Z0-9][a-zA-Z0-9._-]*",
            valid: is_valid_flow_id,
            max_len: Some(FLOW_ID_MAX),
            lower: false,
        };
        check_id_node(
            &META,
            &check,
            Some(&entry.value),
            entry.key.span.clone(),
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const TASKS: &str =
        "tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    #[test]
    fn fires_on_bad_chars_blank_and_length() {
        assert_fires(
            "K101",
            &format!("id: my#flow\nnamespace: n\n{TASKS}"),
            &[(1, 5)],
        );
        assert_fires(
            "K101",
            &format!("id: \"\"\nnamespace: n\n{TASKS}"),
            &[(1, 5)],
        );
        let long = "a".repeat(101);
        assert_eq!(
            messages("K101", &format!("id: {long}\nnamespace: n\n{TASKS}")),
            ["flow id is 101 characters long; the maximum is 100"]
        );
    }

    #[test]
    fn silent_on_valid_id() {
        assert_silent("K101", &format!("id: my-flow.v2\nnamespace: n\n{TASKS}"));
    }
}
