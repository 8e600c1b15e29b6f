use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::{FindingKind, Schema};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "D003",
    name: "deprecated-type",
    severity: Severity::Warning,
    summary: "A plugin type the schema marks as deprecated",
    docs: r#"## What it does
Reports a task, trigger or condition whose type is deprecated (`Echo`, `EachSequential`,
`Template`, `MultipleCondition`, …).

## Why
Kestra lists it as deprecated when the flow is saved; most of these types are removed in
Kestra 2.0 (for example `Echo` → `Log`, `EachSequential`/`EachParallel` → `ForEach`, then `Loop`).

## Example
```yaml
  - id: say
    type: io.kestra.plugin.core.debug.Echo     # D003: use io.kestra.plugin.core.log.Log
    format: hello
```

## Fix
dbt's `io.kestra.plugin.dbt.cli.Build` gets kestra-migrate's rewrite to
`io.kestra.plugin.dbt.cli.DbtCLI` with `commands: [dbt build]`: `dbtPath` is dropped and a
`dockerOptions` holding only `image` becomes `containerImage`. It is an unsafe fix (the task's
type changes; check the result). A Build with flags (`fullRefresh`, `select`, `target`…) or other
`dockerOptions` has no fix: write them into the `dbt build` command.
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
        for f in ctx.schema_findings {
            let FindingKind::DeprecatedType { name } = &f.kind else {
                continue;
            };
            let help = match ctx
                .schema
                .and_then(|s| s.lookup(name))
                .and_then(|(schema, _)| replacement(schema, name)) {
                Some(r) => format!("use {r}; deprecated types are removed in Kestra 2.0"),
                None => "check the plugin's documentation for its replacement; deprecated types are removed in Kestra 2.0".to_string(),
            };
            let mut d = META
                .diag(format!("`{name}` is deprecated"), f.span.clone())
                .with_label("deprecated type")
                .with_help(help);
            if name == crate::rewrite::types::DBT_BUILD {
                let (parent, _) = f.pointer.rsplit_once('/').unwrap_or(("", ""));
                let fix = ctx
                    .flow
                    .and_then(|flow| flow.root.pointer(parent))
                    .and_then(|task| {
                        let editor = crate::yaml::edit::Editor::new(&ctx.source.text, ctx.doc);
                        crate::rewrite::types::dbt_build_fix(&editor, task)
                    });
                if let Some(fix) = fix {
                    d = d.with_fix(fix.with_targets([parent.to_string()]));
                }
            }
            out.push(d);
        }
    }
}

/// Replacements the schema's titles do not name.
const KNOWN: &[(&str, &str)] = &[
    (
        "io.kestra.plugin.core.flow.EachSequential",
        "`io.kestra.plugin.core.flow.ForEach`",
    ),
    (
        "io.kestra.plugin.core.flow.EachParallel",
        "`io.kestra.plugin.core.flow.ForEach`",
    ),
    (
        "io.kestra.plugin.core.flow.Template",
        "a `io.kestra.plugin.core.flow.Subflow`",
    ),
    (
        "io.kestra.plugin.core.condition.FlowCondition",
        "`io.kestra.plugin.core.condition.ExecutionFlow`",
    ),
    (
        "io.kestra.plugin.core.condition.FlowNamespaceCondition",
        "`io.kestra.plugin.core.condition.ExecutionNamespace`",
    ),
    (
        "io.kestra.plugin.core.condition.MultipleCondition",
        "the `preconditions` of a `io.kestra.plugin.core.trigger.Flow`",
    ),
    (
        "io.kestra.plugin.core.storage.LocalFiles",
        "the `inputFiles` and `outputFiles` of a `io.kestra.plugin.core.flow.WorkingDirectory`",
    ),
];

/// What replaces a deprecated type: a table of known moves, else the type the schema's title
/// names ("… (deprecated, use kv)" on `state.Set` → `io.kestra.plugin.core.kv.Set`; "use Log"
/// on `Echo` → `io.kestra.plugin.core.log.Log`; "use BOOL" on an input type → `BOOL`).
fn replacement(schema: &Schema, name: &str) -> Option<String> {
    if let Some((_, r)) = KNOWN.iter().find(|(t, _)| *t == name) {
        return Some(r.to_string());
    }
    let def = schema.definition_for_type(name)?;
    let title = schema.definition(def)?.get("title")?.as_str()?;
    let hint = title.rsplit_once("use ")?.1.trim_end_matches(')').trim();
    if !hint.contains('.') && hint.chars().all(|c| c.is_ascii_uppercase()) {
        return Some(format!("`{hint}`"));
    }
    let simple = name.rsplit('.').next()?;
    let mut found: Vec<&str> = (0..schema.definition_count())
        .filter_map(|i| schema.type_const(i))
        .filter(|t| *t != name && t.contains('.'))
        .filter(|t| {
            let mut parts = t.rsplit('.');
            let (class, package) = (parts.next(), parts.next());
            *t == hint || class == Some(hint) || (package == Some(hint) && class == Some(simple))
        })
        .collect();
    found.sort_by_key(|t| !t.starts_with("io.kestra.plugin.core."));
    found.first().map(|t| format!("`{t}`"))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent};

    #[test]
    fn fires_on_echo() {
        assert_fires_1_3("D003", "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Echo\n    format: hi\n", &[(5, 11)]);
    }

    #[test]
    fn names_the_replacement() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.state.Set\n    name: s\n    data:\n      a: 1\n  - id: e\n    type: io.kestra.plugin.core.debug.Echo\n    format: hi\n";
        let (_, diags) = crate::rules::test_support::lint_1_3(yaml);
        let helps: Vec<String> = diags
            .iter()
            .filter(|d| d.code == "D003")
            .map(|d| d.help.clone().unwrap_or_default())
            .collect();
        assert!(
            helps[0].starts_with("use `io.kestra.plugin.core.kv.Set`"),
            "{}",
            helps[0]
        );
        assert!(
            helps[1].starts_with("use `io.kestra.plugin.core.log.Log`"),
            "{}",
            helps[1]
        );
    }

    #[test]
    fn silent_on_log() {
        assert_silent("D003", "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n");
    }

    #[test]
    fn dbt_build_becomes_dbt_cli() {
        use crate::rules::test_support::fixed;
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: dbt\n    type: io.kestra.plugin.dbt.cli.Build\n    dbtPath: /bin/dbt\n    projectDir: dbt\n";
        let (text, safe) = fixed("D003", yaml).unwrap();
        assert!(!safe);
        assert_eq!(
            text,
            "id: f\nnamespace: n\ntasks:\n  - id: dbt\n    type: io.kestra.plugin.dbt.cli.DbtCLI\n    commands:\n      - dbt build\n    projectDir: dbt\n"
        );
        // A flag of `dbt build` must go into the command by hand.
        let flags = yaml.replace("    projectDir: dbt\n", "    fullRefresh: true\n");
        assert_eq!(fixed("D003", &flags), None);
    }
}
