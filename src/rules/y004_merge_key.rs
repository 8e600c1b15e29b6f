use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "Y004",
    name: "merge-key",
    severity: Severity::Warning,
    summary: "A `<<` merge key, which Kestra reads as a literal key",
    docs: r#"## What it does
Reports `<<:` merge keys.

## Why
Kestra's YAML reader (Jackson) does not implement merge keys: `<<` becomes an ordinary property
named `<<`, which the task then rejects as unknown, or which is silently ignored.

## Example
```yaml
tasks:
  - id: a
    <<: *defaults          # Y004
    type: io.kestra.plugin.core.log.Log
```
Use `pluginDefaults` to share property values between tasks.
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
        for span in &ctx.doc.merge_keys {
            out.push(
                META.diag("`<<` merge keys are not supported by Kestra", span.clone())
                    .with_label("read as a literal key `<<`")
                    .with_help("share values with `pluginDefaults` instead of YAML merge keys"),
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
            "Y004",
            "id: f\nnamespace: n\nvariables:\n  <<: {a: 1}\ntasks: []\n",
            &[(4, 3)],
        );
    }

    #[test]
    fn silent_on_quoted_key() {
        assert_silent(
            "Y004",
            "id: f\nnamespace: n\nvariables:\n  '<<': 1\ntasks: []\n",
        );
    }
}
