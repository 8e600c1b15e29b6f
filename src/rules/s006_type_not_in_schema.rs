use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

pub static META: RuleMeta = RuleMeta {
    code: "S006",
    name: "type-not-in-schema",
    severity: Severity::Warning,
    summary: "A plugin type the embedded schemas do not describe (reported once per type)",
    docs: r#"## What it does
The embedded schemas describe the core plugins and the official `kestra-io/plugin-*` plugins
(generated from their sources). A type none of them knows — a third-party or Enterprise plugin,
a renamed class — cannot be checked. This warning says so once per type per run, on its first
use, so you know those tasks' properties were not validated.

## Why
Every Kestra instance has its own set of plugins; the embedded schemas know only the public ones.

## Example
```yaml
  - id: compose
    type: fr.example.kestra.docker.compose.Up    # S006, once per run
```
Pull your server's schema once and every type is checked, with no warning:
```sh
kestra-lint schema pull --server https://kestra.example.com
```
or pass a schema file with `--schema FILE`.
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
        let mut seen = std::collections::HashSet::new();
        for f in ctx.schema_findings {
            let FindingKind::TypeNotInSchema { name } = &f.kind else {
                continue;
            };
            if super::removed_2_0::reported_type(ctx.target, name) {
                continue;
            }
            if seen.insert(name.as_str()) {
                out.push(
                    META.diag(
                        format!("`{name}` is not in the embedded schemas; its properties were not checked"),
                        f.span.clone(),
                    )
                    .with_label("not checked")
                    .with_help("run `kestra-lint schema pull --server URL` (or pass `--schema FILE`) to check the plugins of your server"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_once_per_type() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: a\n    type: com.example.kestra.Compose\n  - id: b\n    type: com.example.kestra.Compose\n";
        assert_fires("S006", yaml, &[(5, 11)]);
    }

    #[test]
    fn silent_on_core_and_official_plugin_types() {
        assert_silent("S006", "id: f\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n  - id: b\n    type: io.kestra.plugin.scripts.python.Script\n    script: print(1)\n");
    }
}
