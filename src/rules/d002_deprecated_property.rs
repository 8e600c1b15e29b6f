use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "D002",
    name: "deprecated-property",
    severity: Severity::Warning,
    summary: "A property the schema marks as deprecated",
    docs: r#"## What it does
Reports a property marked `$deprecated` in the schema: flow `listeners` and `taskDefaults`,
retry `maxAttempt`, and plugin properties scheduled for removal.

## Why
Kestra lists these as deprecated when a flow is saved; many are removed in Kestra 2.0.

## Fix
When the schema has a property that replaces the deprecated one (`maxAttempts` for
`maxAttempt`, `pluginDefaults` for `taskDefaults`, an input's `id` for its `name`) and the mapping does not set it yet, the help
names it and `--fix` renames the key (safe: the value keeps its meaning).

On the Kestra 2.0 target, two deprecated properties that 2.0 still parses get the rewrite
kestra-migrate makes (safe: the same behaviour): a root check's `condition` is renamed `when`,
and PurgeKV `expiredOnly: x` becomes `behavior: {type: key, expiredOnly: x}` (unless
`behavior` is set).

## Example
```yaml
taskDefaults:              # D002: use pluginDefaults
  - type: io.kestra.plugin.core.log.Log
    values:
      level: WARN
```
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
            let FindingKind::DeprecatedProperty {
                name,
                owner,
                replacement,
            } = &f.kind
            else {
                continue;
            };
            let mut d = META
                .diag(format!("`{name}` is deprecated on {owner}"), f.span.clone())
                .with_label("deprecated");
            d = match replacement {
                Some((new, present)) => {
                    d = d.with_help(if *present {
                        format!("use `{new}`, which is already set: remove `{name}`")
                    } else {
                        format!("use `{new}` instead")
                    });
                    // Renaming the key keeps the value; written as is in the file only.
                    let plain = ctx.source.text.get(f.span.clone()) == Some(name.as_str());
                    if *present || !plain {
                        d
                    } else {
                        d.with_fix(Fix::safe(
                            format!("rename `{name}` to `{new}`"),
                            vec![Edit {
                                span: f.span.clone(),
                                content: new.clone(),
                            }],
                        ))
                    }
                }
                None => {
                    let d = d.with_help(format!(
                        "run `kestra-lint rule D002` and check the plugin's documentation for the replacement of `{name}`"
                    ));
                    match migration(ctx, &f.pointer, name) {
                        Some(fix) => {
                            let owner = f.pointer.rsplit_once('/').map_or("", |(p, _)| p);
                            d.with_fix(fix.with_targets([owner.to_string()]))
                        }
                        None => d,
                    }
                }
            };
            out.push(d);
        }
    }
}

/// Kestra 2.0's replacement of a deprecated property that still parses: a root check's
/// `condition` → `when`, PurgeKV `expiredOnly` → `behavior` (kestra-migrate's v2-only
/// rewrites: the new keys do not exist on 1.x).
fn migration(ctx: &Context<'_>, pointer: &str, name: &str) -> Option<Fix> {
    if !ctx.target.is_2_0() {
        return None;
    }
    let flow = ctx.flow?;
    let (parent, _) = pointer.rsplit_once('/')?;
    let owner = flow.root.pointer(parent)?;
    let entry = owner.entry(name)?;
    let editor = crate::yaml::edit::Editor::new(&ctx.source.text, ctx.doc);
    let is_check = parent
        .strip_prefix("/checks/")
        .is_some_and(|i| i.bytes().all(|b| b.is_ascii_digit()));
    match name {
        "condition" if is_check => crate::rewrite::props::check_condition(&editor, owner, entry),
        "expiredOnly"
            if owner
                .get_str("type")
                .is_some_and(|t| crate::flow::types::is(t, "io.kestra.plugin.core.kv.PurgeKV")) =>
        {
            crate::rewrite::props::purge_kv_expired_only(&editor, owner, entry)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent};

    const TASKS: &str =
        "tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";

    #[test]
    fn fires_on_task_defaults_and_listeners() {
        assert_fires_1_3(
            "D002",
            &format!("id: f\nnamespace: n\n{TASKS}taskDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\nlisteners:\n  - tasks:\n      - id: l\n        type: io.kestra.plugin.core.log.Log\n        message: x\n"),
            &[(7, 1), (11, 1)],
        );
    }

    #[test]
    fn names_the_replacement_and_renames_the_key() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    retry:\n      type: constant\n      interval: PT1S\n      maxAttempt: 3\n";
        let (_, diags) = crate::rules::test_support::lint_1_3(yaml);
        let d = diags.iter().find(|d| d.code == "D002").unwrap();
        assert_eq!(d.help.as_deref(), Some("use `maxAttempts` instead"));
        let fix = d.fix.as_ref().expect("a fix");
        assert_eq!(fix.edits[0].content, "maxAttempts");
        assert_eq!(&yaml[fix.edits[0].span.clone()], "maxAttempt");
        let both = yaml.replace("maxAttempt: 3", "maxAttempt: 3\n      maxAttempts: 3");
        let (_, diags) = crate::rules::test_support::lint_1_3(&both);
        let d = diags.iter().find(|d| d.code == "D002").unwrap();
        assert!(d.fix.is_none());
        assert!(d.help.as_deref().unwrap().contains("already set"));
    }

    #[test]
    fn a_look_alike_of_another_kind_is_no_replacement() {
        // JDBC's deprecated boolean `fetch` is spelt like the integer `fetchSize`.
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: q\n    type: io.kestra.plugin.jdbc.postgresql.Query\n    url: jdbc:postgresql://db/x\n    sql: select 1\n    fetch: true\n";
        let (_, diags) = crate::rules::test_support::lint_1_3(yaml);
        let d = diags.iter().find(|d| d.code == "D002").expect("D002");
        assert!(d.fix.is_none(), "{:?}", d.fix);
        assert!(!d.help.as_deref().unwrap_or("").contains("fetchSize"));
    }

    #[test]
    fn an_input_name_becomes_its_id() {
        let yaml = "id: f\nnamespace: n\ninputs:\n  - name: who\n    type: STRING\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
        let (_, diags) = crate::rules::test_support::lint_1_3(yaml);
        let d = diags.iter().find(|d| d.code == "D002").unwrap();
        assert_eq!(d.help.as_deref(), Some("use `id` instead"));
        assert_eq!(d.fix.as_ref().unwrap().edits[0].content, "id");
    }

    #[test]
    fn silent_on_plugin_defaults() {
        assert_silent(
            "D002",
            &format!("id: f\nnamespace: n\n{TASKS}pluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\n"),
        );
    }

    #[test]
    fn on_2_0_check_condition_and_expired_only_get_the_2_0_keys() {
        use crate::rules::test_support::fixed;
        let check = format!("id: f\nnamespace: n\nchecks:\n  - condition: \"{{{{ true }}}}\"\n    message: m\n{TASKS}");
        assert_eq!(
            fixed("D002", &check),
            Some((check.replace("condition:", "when:"), true))
        );
        let purge = "id: f\nnamespace: n\ntasks:\n  - id: p\n    type: io.kestra.plugin.core.kv.PurgeKV\n    expiredOnly: false # all keys\n";
        assert_eq!(
            fixed("D002", purge),
            Some((
                purge.replace(
                    "    expiredOnly: false # all keys\n",
                    "    behavior:\n      type: key\n      expiredOnly: false # all keys\n"
                ),
                true
            ))
        );
        // On 1.3 the new keys do not exist: no fix.
        let (_, diags) = crate::rules::test_support::lint_1_3(purge);
        assert!(diags
            .iter()
            .filter(|d| d.code == "D002")
            .all(|d| d.fix.is_none()));
    }
}
