use super::ids::{check_id_node, is_valid_namespace, IdCheck, NAMESPACE_MAX};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K106",
    name: "invalid-namespace",
    severity: Severity::Error,
    summary: "The namespace breaks Kestra's pattern or length limit",
    docs: r#"## What it does
Checks `namespace` against Kestra's pattern `^[a-z0-9][a-z0-9._-]*` — lower case only — and its
150-character limit.

## Why
Kestra refuses to save the flow. Upper-case namespaces are a common slip when a team name is
copied in.

## Example
```yaml
namespace: Company.Team     # K106
```
Use instead:
```yaml
namespace: company.team
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
        let Some(entry) = flow.entry("namespace") else {
            return;
        };
        let check = IdCheck {
            what: "namespace",
            pattern: "^[a-z0-9][a-z0-9._-]*",
            valid: is_valid_namespace,
            max_len: Some(NAMESPACE_MAX),
            lower: true,
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
    use crate::rules::test_support::{assert_fires, assert_silent};

    const TASKS: &str =
        "tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    #[test]
    fn fires_on_upper_case() {
        assert_fires(
            "K106",
            &format!("id: f\nnamespace: MY$NAMESPACE\n{TASKS}"),
            &[(2, 12)],
        );
    }

    #[test]
    fn silent_on_valid_namespace() {
        assert_silent(
            "K106",
            &format!("id: f\nnamespace: company.team-a_1\n{TASKS}"),
        );
    }
}
