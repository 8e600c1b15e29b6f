use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "Y002",
    name: "duplicate-key",
    severity: Severity::Error,
    summary: "A mapping has the same key twice",
    docs: r#"## What it does
Reports every key that appears twice in the same mapping, with the first occurrence.

## Why
Kestra parses flows with strict duplicate detection and rejects them (`Duplicate field 'x'`).
Many YAML tools silently keep the last value instead, so the mistake goes unseen until deploy.

## Example
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: first
    message: second      # Y002
```
Keep one of the two keys.
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
        for dup in &ctx.doc.duplicate_keys {
            out.push(
                META.diag(format!("duplicate key `{}`", dup.key), dup.again.clone())
                    .with_label("repeated here")
                    .with_secondary(dup.first.clone(), "first defined here")
                    .with_help("Kestra rejects duplicate keys; keep only one of them"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_each_repeat() {
        assert_fires(
            "Y002",
            "id: f\nnamespace: n\nid: g\ntasks: []\nid: h\n",
            &[(3, 1), (5, 1)],
        );
    }

    #[test]
    fn silent_on_same_key_in_different_maps() {
        assert_silent(
            "Y002",
            "id: f\nnamespace: n\ntasks:\n  - id: a\n  - id: b\n",
        );
    }
}
