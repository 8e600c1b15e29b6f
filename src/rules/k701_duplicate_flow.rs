use std::collections::HashMap;

use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::CrossFile;

pub struct Rule;

pub static META: RuleMeta = RuleMeta {
    code: "K701",
    name: "duplicate-flow",
    severity: Severity::Error,
    summary: "Two linted files define the same flow (namespace and id)",
    docs: r#"## What it does
Reports a linted file whose `namespace` and `id` are those of a flow defined in another file:
among the files linted together, every file after the first (in path order); against the rest of
the repository (see "Repository index" in the README), every linted file that another flow of the
repository duplicates, so a new copy is caught when it alone is passed (pre-commit). The finding
sits on the `id` and names the other file.

## Why
A flow is identified by its namespace and id. Kestra refuses to create a flow that already exists
(`Flow id already exists`) and a bulk update holding the same id twice (`Duplicate flow id`);
deploying both files from Git means one silently overwrites the other.

## Example
```yaml
# flows/a.yml                       # flows/b.yml
id: ingest                          id: ingest          # K701: also defined in flows/a.yml
namespace: company.team             namespace: company.team
```
Use instead: give the copy its own id (`id: ingest_v2`) or delete it.
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

/// Reports a linted file whose `namespace.id` another file defines too: every linted file after
/// the first, in path order, and every linted file when a flow of the repository that was not
/// linted defines it (a new copy must be reported wherever it sorts).
pub fn check_files(files: &[CrossFile<'_>], out: &mut Vec<(usize, Diagnostic)>) {
    let mut groups: HashMap<(&str, &str), Vec<&CrossFile<'_>>> =
        HashMap::with_capacity(files.len());
    for file in files {
        let key = (file.summary.namespace.as_str(), file.summary.id.as_str());
        groups.entry(key).or_default().push(file);
    }
    for file in files {
        let Some(report) = file.report else {
            continue;
        };
        let key = (file.summary.namespace.as_str(), file.summary.id.as_str());
        let group = &groups[&key];
        let first_linted = group.iter().position(|f| f.report.is_some());
        let in_repo_only = group.iter().any(|f| f.report.is_none());
        let is_first = first_linted.is_some_and(|i| std::ptr::eq(group[i], file));
        if group.len() < 2 || (is_first && !in_repo_only) {
            continue;
        }
        let Some(original) = group.iter().find(|f| !std::ptr::eq(**f, file)) else {
            continue;
        };
        out.push((
            report,
            META.diag(
                format!(
                    "flow `{}` is also defined in {}",
                    file.summary.full_name(),
                    original.path
                ),
                file.summary.id_span.clone(),
            )
            .with_label("defined again here")
            .with_help(format!(
                "a namespace holds one flow per id: rename this one or remove one of the two files ({} defines it too)",
                original.path
            )),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_files, lint_files_in_repo};

    #[test]
    fn fires_on_the_second_file() {
        let a = "id: ingest\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: a\n";
        let b = "# copy\nid: ingest\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: b\n";
        let found = lint_files(&[("flows/a.yml", a), ("flows/b.yml", b)], "K701");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "flows/b.yml");
        assert_eq!((found[0].1, found[0].2), (2, 5));
        assert!(found[0].3.contains("flows/a.yml"), "{}", found[0].3);
    }

    #[test]
    fn fires_on_a_new_copy_of_a_repository_flow_wherever_it_sorts() {
        let a = "id: ingest\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: a\n";
        let found = lint_files_in_repo(&[("flows/0_copy.yml", a)], &[("flows/a.yml", a)], "K701");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "flows/0_copy.yml");
        assert!(found[0].3.contains("flows/a.yml"), "{}", found[0].3);
        let other = a.replace("ingest", "export");
        assert!(lint_files_in_repo(
            &[("flows/0_copy.yml", &other)],
            &[("flows/a.yml", a)],
            "K701"
        )
        .is_empty());
    }

    #[test]
    fn silent_on_other_namespace_or_id() {
        let a = "id: ingest\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: a\n";
        let b = a.replace("company.team", "company.other");
        let c = a.replace("ingest", "export");
        assert!(lint_files(&[("a.yml", a), ("b.yml", &b), ("c.yml", &c)], "K701").is_empty());
    }
}
