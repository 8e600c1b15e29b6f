use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "B004",
    name: "path-layout-mismatch",
    severity: Severity::Warning,
    summary: "A flow file whose path does not match its namespace and id",
    docs: r#"## What it does
For files under `[lint.policy] flows-root`, checks that the path is
`<namespace>/<id>.yml` (or `.yaml`), the layout Kestra's Git sync reads and writes. The
namespace folder may be written whole (`company.team/`) or one folder per part
(`company/team/`). Files outside the root are not checked. It is on as soon as `flows-root` is
set.

## Why
When the path and the flow disagree, Git sync creates a second flow or overwrites another one,
and nobody can find a flow from its id.

## Example
```toml
[lint.policy]
flows-root = "flows"
```
```yaml
# flows/company.team/old_name.yml
id: new_name                 # B004
namespace: company.team
```
Use instead: rename the file to `flows/company.team/new_name.yml`.
"#,
    fixable: false,
    enabled_by_default: false,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let Some(rel) = ctx.policy.path_in_flows_root(&ctx.source.path) else {
            return;
        };
        let (Some(id), Some(ns), Some(id_entry)) = (flow.id(), flow.namespace(), flow.entry("id"))
        else {
            return;
        };
        let Some(stem) = rel
            .strip_suffix(".yml")
            .or_else(|| rel.strip_suffix(".yaml"))
        else {
            return;
        };
        let dotted = format!("{ns}/{id}");
        let nested = format!("{}/{id}", ns.replace('.', "/"));
        if stem == dotted || stem == nested {
            return;
        }
        let ext = if rel.ends_with(".yaml") {
            "yaml"
        } else {
            "yml"
        };
        out.push(
            META.diag(
                format!("flow `{ns}.{id}` is at `{rel}`, expected `{dotted}.{ext}` under the flows root"),
                id_entry.value.span.clone(),
            )
            .with_label("does not match the file path")
            .with_help(format!(
                "move the file to `{dotted}.{ext}` (or `{nested}.{ext}`), or change the id or namespace"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_with, settings};

    const CONFIG: &str = "[lint.policy]\nflows-root = \"flows\"\n";
    const FLOW: &str = "id: hello\nnamespace: company.team\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n";

    fn codes_at(path: &str) -> Vec<(usize, String)> {
        let (source, diags) = lint_with(&settings(CONFIG), path, FLOW);
        diags
            .iter()
            .filter(|d| d.code == "B004")
            .map(|d| {
                (
                    source.line_col(d.primary.span.start).line,
                    d.message.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn fires_when_the_path_disagrees() {
        assert_eq!(
            codes_at("flows/company.team/bye.yml"),
            [(1, "flow `company.team.hello` is at `company.team/bye.yml`, expected `company.team/hello.yml` under the flows root".to_string())]
        );
        assert_eq!(codes_at("flows/other/hello.yaml").len(), 1);
    }

    #[test]
    fn silent_when_the_path_matches_or_is_outside_the_root() {
        assert!(codes_at("flows/company.team/hello.yml").is_empty());
        assert!(codes_at("flows/company/team/hello.yaml").is_empty());
        assert!(codes_at("elsewhere/x.yml").is_empty());
    }
}
