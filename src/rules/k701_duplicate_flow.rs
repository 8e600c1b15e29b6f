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
When several files are linted together, reports every file after the first (in path order) whose
`namespace` and `id` are those of a flow already defined in another file. The finding sits on the
`id` of the later file and names the earlier one.

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

/// Reports each repeat of a `namespace.id` on the later file.
pub fn check_files(files: &[CrossFile<'_>], out: &mut Vec<(usize, Diagnostic)>) {
    let mut first: std::collections::HashMap<(&str, &str), &CrossFile<'_>> =
        std::collections::HashMap::new();
    for file in files {
        let key = (file.summary.namespace.as_str(), file.summary.id.as_str());
        match first.get(&key) {
            Some(original) => out.push((
                file.report,
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
                    "a namespace holds one flow per id: rename this one or remove one of the two files ({} defines it first)",
                    original.path
                )),
            )),
            None => {
                first.insert(key, file);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_files;

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
    fn silent_on_other_namespace_or_id() {
        let a = "id: ingest\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: a\n";
        let b = a.replace("company.team", "company.other");
        let c = a.replace("ingest", "export");
        assert!(lint_files(&[("a.yml", a), ("b.yml", &b), ("c.yml", &c)], "K701").is_empty());
    }
}
