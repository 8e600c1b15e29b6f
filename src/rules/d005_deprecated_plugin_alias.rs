use super::d001_deprecated_alias::{aliases, with_rename};
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "D005",
    name: "deprecated-plugin-alias",
    severity: Severity::Warning,
    summary: "A plugin type written with an old name the plugin still accepts",
    docs: r#"## What it does
Reports a plugin `type` written with an old name that the plugin declares as an alias
(`@Plugin(aliases = …)` in its source, recorded in the embedded plugin schemas), with a safe fix
to the current name. The object is validated as its current type.

## Why
Plugins keep their aliases for a while and then drop them; the current name is the one their
documentation and schema use. Unlike the aliases of Kestra's core types (D001), which Kestra 2.0
removed, these still load, so this is a warning on every version.

## Example
```yaml
  - id: query
    type: io.kestra.plugin.jdbc.postgresql.PostgresQuery      # an old name, if the plugin declares it
```
Fixed (`--fix`): the plugin's current type name.
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (f, alias, canonical) in aliases(ctx, false) {
            out.push(
                with_rename(
                    ctx,
                    f,
                    canonical,
                    META.diag(
                        format!("`{alias}` is an old name for `{canonical}`"),
                        f.span.clone(),
                    ),
                )
                .with_label("deprecated plugin alias")
                .with_help(format!("use `{canonical}`, the plugin's current name")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::test_support::{assert_fires, assert_silent, lint, severities, ON_1_3};

    const OLD: &str = "id: f\nnamespace: n\ntasks:\n  - id: q\n    type: io.kestra.plugin.jdbc.vectorwise.Query\n    url: jdbc:vectorwise://localhost\n    sql: select 1\n";

    #[test]
    fn fires_with_a_fix_and_stays_a_warning_on_2_0() {
        assert_fires("D005", OLD, &[(5, 11)]);
        assert_silent("D001", OLD);
        let (source, diags) = lint(OLD);
        let fix = diags
            .iter()
            .find(|d| d.code == "D005")
            .and_then(|d| d.fix.clone())
            .expect("a fix");
        assert_eq!(
            &source.text[fix.edits[0].span.clone()],
            "io.kestra.plugin.jdbc.vectorwise.Query"
        );
        assert_eq!(
            fix.edits[0].content,
            "io.kestra.plugin.jdbc.actianvector.Query"
        );
        assert_eq!(severities("", "D005", OLD), [Severity::Warning]);
        assert_eq!(severities(ON_1_3, "D005", OLD), [Severity::Warning]);
    }

    #[test]
    fn silent_on_current_names_and_core_aliases() {
        assert_silent("D005", &OLD.replace("vectorwise", "actianvector"));
        assert_silent(
            "D005",
            "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.core.tasks.log.Log\n    message: hi\n",
        );
    }
}
