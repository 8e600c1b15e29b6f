use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K114",
    name: "worker-selector-without-tags",
    severity: Severity::Error,
    summary: "A `workerSelector` sets `match` or `fallback` without any `tags`",
    docs: r#"## What it does
On the Kestra 2.0 target, reports `match` or `fallback` in a `workerSelector` (of the flow, a
task or a trigger) whose `tags` are missing or empty.

## Why
Kestra 2.0 refuses it: "fallback can only be set when tags is non-empty", "match can only be set
when tags is non-empty". Without tags there is nothing to match or fall back from.

## Example
```yaml
workerSelector:
  fallback: WAIT           # K114
```
Use instead: `workerSelector: {tags: [gpu], fallback: WAIT}`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only2_0,
};

fn check_selector(selector: &Node, out: &mut Vec<Diagnostic>) {
    let has_tags = selector
        .get("tags")
        .and_then(Node::as_seq)
        .is_some_and(|t| !t.is_empty());
    if has_tags {
        return;
    }
    for key in ["match", "fallback"] {
        if let Some(entry) = selector.entry(key).filter(|e| !e.value.is_null()) {
            out.push(
                META.diag(
                    format!("{key} can only be set when tags is non-empty"),
                    entry.key.span.clone(),
                )
                .with_label("no `tags` to apply it to")
                .with_help("add `tags: [...]`, or remove this key"),
            );
        }
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let owners = std::iter::once(flow.root)
            .chain(flow.tasks.iter().map(|t| t.node))
            .chain(flow.triggers.iter().map(|t| t.node));
        for owner in owners {
            if let Some(selector) = owner.get("workerSelector") {
                check_selector(selector, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, assert_silent_1_3};

    const BAD: &str = "id: f\nnamespace: n\nworkerSelector:\n  fallback: WAIT\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n    workerSelector:\n      tags: []\n      match: ANY\n";

    #[test]
    fn fires_without_tags() {
        assert_fires("K114", BAD, &[(4, 3), (11, 7)]);
        assert_silent_1_3("K114", BAD);
    }

    #[test]
    fn silent_with_tags() {
        assert_silent("K114", "id: f\nnamespace: n\nworkerSelector:\n  tags: [gpu]\n  fallback: WAIT\n  match: ALL\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n");
    }
}
