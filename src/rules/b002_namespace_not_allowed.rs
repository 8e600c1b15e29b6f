use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "B002",
    name: "namespace-not-allowed",
    severity: Severity::Warning,
    summary: "A flow outside the namespaces allowed by `[lint.policy] namespaces`",
    docs: r#"## What it does
Reports a flow whose namespace matches none of the patterns in `[lint.policy] namespaces`.
`*` matches any run of characters, dots included; `company.*` allows `company.team` and
`company.team.etl` but not `company` or `acme.team`. It is on as soon as `namespaces` is set.

## Why
Namespaces carry access control, secrets, KV stores and namespace files. A flow saved in the
wrong namespace runs with the wrong permissions and cannot read its secrets.

## Example
```toml
[lint.policy]
namespaces = ["company.*"]
```
```yaml
id: etl
namespace: sandbox.alice     # B002
```
Use instead:
```yaml
id: etl
namespace: company.data
```
"#,
    fixable: false,
    enabled_by_default: false,
    versions: super::Versions::All,
};

/// Shell-style match where `*` is any run of characters and `?` one character.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let allowed = &ctx.policy.namespaces;
        let Some(flow) = ctx.flow else { return };
        let (Some(entry), Some(ns)) = (flow.entry("namespace"), flow.namespace()) else {
            return;
        };
        if allowed.is_empty() || allowed.iter().any(|p| wildcard_match(p, ns)) {
            return;
        }
        out.push(
            META.diag(
                format!("namespace `{ns}` is not an allowed namespace"),
                entry.value.span.clone(),
            )
            .with_label("not allowed by the policy")
            .with_help(format!("allowed: {}", allowed.join(", "))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;
    use crate::rules::test_support::{assert_fires_with, assert_silent, assert_silent_with};

    const CONFIG: &str = "[lint.policy]\nnamespaces = [\"company.*\", \"tools\"]\n";
    const FLOW: &str =
        "tasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n";

    #[test]
    fn patterns() {
        assert!(wildcard_match("company.*", "company.team.etl"));
        assert!(!wildcard_match("company.*", "company"));
        assert!(wildcard_match("*.prod", "a.b.prod"));
        assert!(wildcard_match("team?", "team1"));
        assert!(!wildcard_match("tools", "tools.x"));
    }

    #[test]
    fn fires_outside_allowed_namespaces() {
        let yaml = format!("id: f\nnamespace: sandbox.alice\n{FLOW}");
        assert_fires_with(CONFIG, "B002", &yaml, &[(2, 12)]);
    }

    #[test]
    fn silent_inside_or_unconfigured() {
        assert_silent_with(
            CONFIG,
            "B002",
            &format!("id: f\nnamespace: company.team\n{FLOW}"),
        );
        assert_silent_with(CONFIG, "B002", &format!("id: f\nnamespace: tools\n{FLOW}"));
        assert_silent("B002", &format!("id: f\nnamespace: sandbox\n{FLOW}"));
    }
}
