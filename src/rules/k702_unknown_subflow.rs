use std::collections::{HashMap, HashSet};

use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::CrossFile;

pub struct Rule;

pub static META: RuleMeta = RuleMeta {
    code: "K702",
    name: "unknown-subflow",
    severity: Severity::Warning,
    summary: "A Subflow or ForEachItem calls a flow that the linted flows of its namespace lack",
    docs: r#"## What it does
Reports a `Subflow` or `ForEachItem` task whose literal `namespace` and `flowId` name no known
flow, while other flows of that namespace are known — a sign of a typo or of a renamed flow. The
known flows are the files linted together and, with the repository index (see the README), every
flow of the repository, so editing two files does not hide the third. Targets written with
expressions, and namespaces of which no flow is known, are not checked.

## Why
Kestra does not check the target when the flow is saved: the call fails when it runs
(`Unable to find flow`), possibly months later on a rarely used branch. The flow may also exist
only on the server, which is why this is a warning.

## Example
```yaml
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.team
    flowId: ingset          # K702: company.team has `ingest`
```
Use instead: `flowId: ingest`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Runs across files: see [`check_files`].
    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}

/// Which flows K702 judged against, for its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only the files linted together.
    Linted,
    /// The linted files and the repository index.
    Repository,
}

/// Reports calls, in linted files, to a missing flow of a namespace that has known flows.
pub fn check_files(files: &[CrossFile<'_>], scope: Scope, out: &mut Vec<(usize, Diagnostic)>) {
    let mut by_namespace: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut known: HashSet<(&str, &str)> = HashSet::with_capacity(files.len());
    for f in files {
        let (ns, id) = (f.summary.namespace.as_str(), f.summary.id.as_str());
        if known.insert((ns, id)) {
            by_namespace.entry(ns).or_default().push(id);
        }
    }
    // Indexed once per namespace: one namespace's flows are the candidates of every call to it.
    let mut suggesters: HashMap<&str, crate::suggest::Index<'_>> = HashMap::new();
    for f in files {
        let Some(report) = f.report else {
            continue;
        };
        for call in &f.summary.subflow_calls {
            let target = (call.namespace.as_str(), call.flow_id.as_str());
            let is_self = target == (f.summary.namespace.as_str(), f.summary.id.as_str());
            if is_self || known.contains(&target) {
                continue;
            }
            let Some(ids) = by_namespace.get(call.namespace.as_str()) else {
                continue;
            };
            let among = match scope {
                Scope::Linted => format!(
                    "the {} linted flows of namespace `{}`",
                    ids.len(),
                    call.namespace
                ),
                Scope::Repository => format!(
                    "the {} flows of namespace `{}` in the repository",
                    ids.len(),
                    call.namespace
                ),
            };
            let mut d = META
                .diag(
                    format!(
                        "subflow `{}.{}` is not among {among}",
                        call.namespace, call.flow_id
                    ),
                    call.span.clone(),
                )
                .with_label("no known flow has this id");
            let suggester = suggesters
                .entry(call.namespace.as_str())
                .or_insert_with(|| crate::suggest::Index::new(ids.iter().copied()));
            d = match suggester.closest(&call.flow_id) {
                Some(best) => d.with_help(format!("did you mean `{best}`?")),
                None => d.with_help(
                    "check `namespace` and `flowId`; if the flow lives only on the server, ignore this warning",
                ),
            };
            out.push((report, d));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_files, lint_files_in_repo};

    const TARGET: &str = "id: ingest\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: a\n";

    fn caller(ns: &str, flow_id: &str) -> String {
        format!("id: caller\nnamespace: company.team\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: {ns}\n    flowId: {flow_id}\n")
    }

    #[test]
    fn fires_on_a_typo_in_a_known_namespace() {
        let c = caller("company.team", "ingset");
        let found = lint_files(&[("a.yml", TARGET), ("b.yml", &c)], "K702");
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].1, found[0].2), (7, 13));
    }

    #[test]
    fn judges_against_the_repository() {
        let ok = caller("company.team", "ingest");
        let typo = caller("company.team", "ingset");
        let repo = [("flows/ingest.yml", TARGET)];
        assert!(lint_files_in_repo(&[("b.yml", &ok)], &repo, "K702").is_empty());
        let found = lint_files_in_repo(&[("b.yml", &typo)], &repo, "K702");
        assert_eq!(found.len(), 1);
        assert!(found[0].3.ends_with("in the repository"), "{}", found[0].3);
    }

    #[test]
    fn silent_when_found_or_namespace_unknown() {
        let ok = caller("company.team", "ingest");
        let elsewhere = caller("other.team", "anything");
        let dynamic = caller("company.team", "\"{{ inputs.flow }}\"");
        let files = [
            ("a.yml", TARGET),
            ("b.yml", ok.as_str()),
            ("c.yml", elsewhere.as_str()),
            ("d.yml", dynamic.as_str()),
        ];
        assert!(lint_files(&files, "K702").is_empty());
    }
}
