use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "Y005",
    name: "multiple-documents",
    severity: Severity::Error,
    summary: "A flow file holds more than one YAML document",
    docs: r#"## What it does
Reports a second YAML document (`---`) in a flow file. Only the first document is linted.

## Why
Kestra stores one flow per file (Git sync, `flow namespace update`); a second document is either
ignored or makes the import fail.

## Example
```yaml
id: first
namespace: company.team
tasks: [...]
---                      # Y005
id: second
```
Put each flow in its own file.
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
        for span in &ctx.doc.extra_documents {
            out.push(
                META.diag("more than one YAML document in a flow file", span.clone())
                    .with_label("a second document starts here")
                    .with_help("put each flow in its own file; only the first document was linted"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires() {
        assert_fires(
            "Y005",
            "id: f\nnamespace: n\ntasks: []\n---\nid: g\n",
            &[(4, 1)],
        );
    }

    #[test]
    fn silent_with_leading_marker() {
        assert_silent("Y005", "---\nid: f\nnamespace: n\ntasks: []\n");
    }
}
