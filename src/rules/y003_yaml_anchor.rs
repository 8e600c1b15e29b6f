use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "Y003",
    name: "yaml-anchor",
    severity: Severity::Warning,
    summary: "A YAML anchor or alias, which Kestra does not expand",
    docs: r#"## What it does
Reports every anchor (`&name`) and alias (`*name`).

## Why
Kestra's YAML reader does not expand aliases: `*name` is read as the plain text `name`, so the
flow silently gets a string where you meant a copy of the anchored value (kestra-io/kestra#16315).

## Example
```yaml
variables:
  common: &common
    retries: 3
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: *common       # Y003: Kestra sees the string "common"
```
Repeat the value, or use `pluginDefaults` / `variables` with `{{ vars.common }}`.
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
        for (name, span) in &ctx.doc.anchors {
            out.push(
                META.diag(
                    format!("YAML anchor `&{name}`: Kestra does not expand anchors"),
                    span.clone(),
                )
                .with_label("anchor defined here")
                .with_help(
                    "repeat the value where it is needed, or use pluginDefaults or variables",
                ),
            );
        }
        for (name, span) in &ctx.doc.aliases {
            out.push(
                META.diag(
                    format!("YAML alias `*{name}` is read by Kestra as the text `{name}`"),
                    span.clone(),
                )
                .with_label("not expanded by Kestra")
                .with_help("write the value out in full instead of referring to an anchor"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_anchor_and_alias() {
        assert_fires(
            "Y003",
            "id: f\nnamespace: n\nvariables:\n  a: &x 1\n  b: *x\ntasks: []\n",
            &[(4, 6), (5, 6)],
        );
    }

    #[test]
    fn silent_without_anchors() {
        assert_silent(
            "Y003",
            "id: f\nnamespace: n\nvariables:\n  a: '&x'\ntasks: []\n",
        );
    }
}
