use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::schema::FindingKind;
use crate::yaml::edit::Editor;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "D001",
    name: "deprecated-type-alias",
    severity: Severity::Warning,
    summary: "A plugin type written with an old alias",
    docs: r#"## What it does
Reports a `type` written with an old name of a core type that Kestra 1.x still accepts as an
alias (e.g. `io.kestra.core.tasks.log.Log`) — on tasks, triggers, conditions and plugin defaults — and
offers a safe fix to the canonical name. The object is validated as its canonical type. Old
names of plugin types are D005.

## Why
Kestra 1.x reports "X is replaced by Y"; **Kestra 2.0 removes every alias**: it refuses the flow
with `Could not resolve type id`, and a stored flow stops loading after the upgrade.

Severity: an error on Kestra 2.0 (the default target), a warning with `target-version = "1.3"`.

## Example
```yaml
  - id: hello
    type: io.kestra.core.tasks.log.Log          # D001
```
Fixed (`--fix`):
```yaml
  - id: hello
    type: io.kestra.plugin.core.log.Log
```
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::RefusedFrom2_0,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (f, alias, canonical) in aliases(ctx, true) {
            if super::removed_2_0::reported_type(ctx.target, alias) {
                continue; // the type itself is gone in 2.0: K801
            }
            let (message, label) = if ctx.target.is_2_0() {
                (
                    format!("Could not resolve type id `{alias}`: Kestra 2.0 removed this old name of `{canonical}`"),
                    "alias removed in Kestra 2.0",
                )
            } else {
                (
                    format!("`{alias}` is an old name for `{canonical}`"),
                    "deprecated alias",
                )
            };
            out.push(
                with_rename(ctx, f, canonical, META.diag(message, f.span.clone()))
                    .with_label(label)
                    .with_help(format!(
                        "use `{canonical}`; Kestra 2.0 no longer accepts the old name"
                    )),
            );
        }
    }
}

/// The alias findings of the file: those of Kestra's core (`core`), or those of plugins.
pub(super) fn aliases<'c>(
    ctx: &'c Context<'_>,
    core: bool,
) -> impl Iterator<Item = (&'c crate::schema::Finding, &'c str, &'c str)> + 'c {
    ctx.schema_findings.iter().filter_map(move |f| {
        let FindingKind::Alias { alias, canonical } = &f.kind else {
            return None;
        };
        // Core aliases are the ones of Kestra's own alias table (`schemas/aliases.json`).
        let is_core = crate::schema::Schema::embedded()
            .canonical_alias(alias)
            .is_some();
        (is_core == core).then_some((f, alias.as_str(), canonical.as_str()))
    })
}

/// The safe fix replacing the alias with its canonical name, keeping the scalar's quotes.
pub(super) fn with_rename(
    ctx: &Context<'_>,
    f: &crate::schema::Finding,
    canonical: &str,
    d: Diagnostic,
) -> Diagnostic {
    let editor = Editor::new(&ctx.source.text, ctx.doc);
    let edit = ctx
        .flow
        .and_then(|flow| flow.root.pointer(&f.pointer))
        .and_then(|n| editor.replace_scalar(n, canonical));
    match edit {
        Some(edit) => d.with_fix(
            Fix::safe(format!("replace with `{canonical}`"), vec![edit])
                .with_targets([f.pointer.clone()]),
        ),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{
        assert_fires, assert_fires_1_3, assert_silent, assert_warning_on_1_x_error_on_2_0, lint,
        messages,
    };

    #[test]
    fn fires_with_a_fix_and_validates_as_canonical() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: \"io.kestra.core.tasks.log.Log\"\n    message: hi\n";
        assert_fires("D001", yaml, &[(5, 11)]);
        let (source, diags) = lint(yaml);
        let fix = diags
            .iter()
            .find(|d| d.code == "D001")
            .unwrap()
            .fix
            .clone()
            .unwrap();
        // The quotes stay.
        let (fixed, _) = crate::fix::apply(&source.text, std::slice::from_ref(&fix.edits));
        assert!(
            fixed.contains("type: \"io.kestra.plugin.core.log.Log\"\n"),
            "{fixed}"
        );
        assert_eq!(fix.targets, Some(vec!["/tasks/0/type".to_string()]));
        assert!(diags.iter().all(|d| !d.code.starts_with('S')), "{diags:#?}");
        assert_warning_on_1_x_error_on_2_0("D001", yaml);
        assert!(messages("D001", yaml)[0].starts_with("Could not resolve type id"));
    }

    #[test]
    fn fires_on_plugin_defaults_too() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\npluginDefaults:\n  - type: io.kestra.core.tasks.log.Log\n    values:\n      level: WARN\n";
        assert_fires_1_3("D001", yaml, &[(8, 11)]);
    }

    #[test]
    fn silent_on_canonical_names() {
        assert_silent("D001", "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n");
    }
}
