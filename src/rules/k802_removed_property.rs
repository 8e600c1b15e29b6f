use super::removed_2_0::{removed_keys, RemovedKey};
use super::{Context, RuleMeta};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::flow::{types, Flow};
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K802",
    name: "removed-property",
    severity: Severity::Error,
    summary: "A property that Kestra 2.0 removed (pluginDefaults, listeners, trigger conditions…)",
    docs: r#"## What it does
On the Kestra 2.0 target, reports a key that 2.0 no longer reads, and names its replacement:

| where | removed | use instead |
|---|---|---|
| flow | `pluginDefaults`, `taskDefaults` | the values on the tasks themselves |
| flow | `listeners` | `afterExecution`, or a flow with a Flow trigger |
| flow, task, trigger | `workerGroup` | `workerSelector: {tags: […]}` |
| trigger | `conditions`, `scheduleConditions` | `when: "{{ … }}"`; on a Flow trigger, `dependsOn` |
| trigger | `minLogLevel`, Schedule `backfill` | `logLevel`; backfills from the UI or API |
| Flow trigger | `preconditions` | `dependsOn` and `window` |
| retry | `maxAttempt` | `maxAttempts` |
| input | `name`; MULTISELECT `options`; FILE `extension` | `id`; `values`; `allowedFileExtensions` |
| Pause | `delay`, `tasks` | `pauseDuration`; tasks after the Pause |
| Subflow | `outputs` | the subflow's own flow `outputs` |
| HTTP tasks | `sslOptions`, `options.basicAuthUser`/`basicAuthPassword`, `options.connectionPoolIdleTimeout` | `options.ssl`, `options.auth` |
| script tasks | `runner`, `docker` | `taskRunner` and `containerImage` |

## Why
Kestra 2.0 reads flows strictly: `Unrecognized field "pluginDefaults"` (HTTP 422 on save).
Trigger `conditions` are worse: 2.0.0's save path refuses them, but a stored flow that still has
them loads with the conditions silently dropped, so a Flow trigger fires on every execution
(kestra-io/kestra#19225).

## Example
```yaml
triggers:
  - id: weekdays
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 * * *"
    conditions:                                   # K802
      - type: io.kestra.plugin.core.condition.Weekend
```
Use instead: `when: "{{ not isWeekend(trigger.date) }}"`.

## Fix
Where the replacement takes the same value — retry `maxAttempt` → `maxAttempts`, input `name` →
`id`, Pause `delay` → `pauseDuration`, MULTISELECT `options` → `values`, trigger `minLogLevel` →
`logLevel` — `--fix` renames the key (a safe fix), unless the new key is already set. The other
rewrites of kestra-migrate, and the inlining of plugin defaults, are fixes too:

| removed | fix | applicability |
|---|---|---|
| `options.basicAuthUser`/`basicAuthPassword` | `options.auth: {type: BASIC, username, password}` | safe |
| script `runner: PROCESS` | `taskRunner: {type: io.kestra.plugin.core.runner.Process}` (and `outputDirectory: true` when the task reads `{{ outputDir }}`) | safe |
| script `runner: DOCKER`, `docker` | a Docker `taskRunner` holding the `docker` options, `image` as `containerImage` | unsafe (check the options against the task runner's) |
| trigger `conditions` | `when: "{{ … }}"`: Expression/Variable conditions by their expression, DayWeek as `dayOfWeek(trigger.date) == 'MONDAY'`, Weekend as `isWeekend(trigger.date)`, Not and Or around them, joined with `and` | unsafe |
| Flow trigger `conditions` | `dependsOn`: ExecutionFlow → `namespace`/`flowId`, ExecutionStatus `in` → `states`, ExecutionNamespace → `namespace` (a prefix or suffix as the entry's `when`, `trigger.namespace \| startsWith('…')`, as kestra-migrate writes it; which variables a `dependsOn` `when` sees is not verified), ExecutionLabels → `labels`, a MultipleCondition → one entry per flow and `window: {lookback: …}` | unsafe |
| Flow trigger `preconditions` | `dependsOn` from its `flows`; a `DAILY_TIME_DEADLINE` time window → `window.deadline` | unsafe |
| `workerGroup: {key: k}` | `workerSelector: {tags: [k], fallback: WAIT}` (its `fallback` when set): create a Worker Queue tagged `k` | unsafe |
| flow `pluginDefaults`, `taskDefaults` | each default's `values` written into the tasks and triggers it applies to (same type, old names, or a package prefix), where the task does not set the key itself; the entry is removed | unsafe (later tasks no longer get the defaults) |
| Schedule `backfill`/`backfills`, Subflow `outputs` | removed, as kestra-migrate does (2.0 starts backfills from the UI or the API; a Subflow's outputs are those its subflow declares) | unsafe |
| `options.connectionPoolIdleTimeout` | removed (2.0's HTTP client has no such option) | safe |
| datagen `Generate`, Sheets `Read` `fetchType` | `STORE` → `store: true`, Sheets' `FETCH` → `fetch: true` (as kestra-migrate rewrites these two plugins) | safe |

Each trigger is converted whole or not at all: a condition with no exact equivalent
(DateTimeBetween, TimeBetween, PublicHoliday, DayWeekInMonth, HasRetryAttempt, ExecutionOutputs,
`where` filters, other time windows, `resetOnSuccess: false`), an existing `when`, `dependsOn` or
`window`, leaves the finding without a fix. So do a forced plugin default over a task's own value,
two defaults setting the same key, a default reaching a condition or task runner, a templated or
non-RFC-1123 worker group key, and `listeners`, `scheduleConditions`, Pause `tasks`,
`sslOptions` and FILE `extension`, which need a person.
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::Only2_0,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for removed in removed_keys(flow) {
            let span = removed.entry.key.span.clone();
            let mut d = META
                .diag(
                    format!("Unrecognized field \"{}\"", removed.key),
                    span.clone(),
                )
                .with_label(format!("removed from {} in Kestra 2.0", removed.owner))
                .with_help(removed.help);
            // Renaming keeps the value; only a key written plainly in the file is edited.
            let plain = ctx.source.text.get(span.clone()) == Some(removed.key);
            if let Some(new) = removed.rename.filter(|_| plain) {
                d = d.with_fix(Fix::safe(
                    format!("rename `{}` to `{new}`", removed.key),
                    vec![Edit {
                        span,
                        content: new.to_string(),
                    }],
                ));
            } else if let Some(fix) = rewrite(ctx, flow, &removed) {
                // A rewrite changes its task or trigger (the flow, for flow keys).
                let target = removed
                    .item
                    .map_or_else(String::new, |n| crate::rewrite::pointer_of(flow, n));
                d = d.with_fix(fix.with_targets([target]));
            }
            out.push(d);
        }
    }
}

/// The migration rewrite of a removed key, when its shape converts exactly.
fn rewrite(ctx: &Context<'_>, flow: &Flow<'_>, removed: &RemovedKey<'_>) -> Option<Fix> {
    use crate::rewrite::{defaults, props, scripts, triggers};
    let editor = &crate::yaml::edit::Editor::new(&ctx.source.text, ctx.doc);
    let item = removed.item;
    match removed.key {
        "pluginDefaults" | "taskDefaults" if item.is_none() => {
            let plugins: Vec<&Node> = flow
                .tasks
                .iter()
                .map(|t| t.node)
                .chain(flow.triggers.iter().map(|t| t.node))
                .collect();
            defaults::inline(editor, flow.root, removed.entry, &plugins)
        }
        "workerGroup" => props::worker_group(editor, removed.map, removed.entry),
        "conditions" | "preconditions" => {
            let trigger = item?;
            let is_flow = trigger
                .get_str("type")
                .is_some_and(|t| types::is(t, types::FLOW_TRIGGER));
            if is_flow {
                triggers::flow_trigger(editor, trigger)
            } else if removed.key == "conditions" {
                triggers::conditions_to_when(editor, trigger)
            } else {
                None
            }
        }
        "basicAuthUser" | "basicAuthPassword" => props::http_basic_auth(editor, removed.map),
        // What kestra-migrate drops: 2.0 has no counterpart. Backfills are started from the UI
        // or the API, and a Subflow's outputs are the subflow's own declared outputs, so those
        // two change what runs (unsafe); the pool timeout was a tuning knob (safe).
        "backfill" | "backfills" => remove(editor, removed, Applicability::Unsafe),
        "outputs" => remove(editor, removed, Applicability::Unsafe),
        "connectionPoolIdleTimeout" => remove(editor, removed, Applicability::Safe),
        "fetchType" => fetch_flag(editor, removed),
        "runner" | "docker" => {
            let task = item?;
            let output_dir = ctx.templates.iter().any(|s| {
                s.task
                    .and_then(|i| flow.tasks.get(i))
                    .is_some_and(|t| std::ptr::eq(t.node, task))
                    && crate::pebble::references(&s.template)
                        .iter()
                        .any(|r| r.root == "outputDir")
            });
            scripts::legacy_runner(editor, task, output_dir)
        }
        _ => None,
    }
}

/// kestra-migrate's `fetchType` → boolean flag, for the two plugins whose 2.0 versions have
/// `store`/`fetch` instead: `STORE` → `store: true`, `FETCH` → `fetch: true` (Sheets `Read`
/// only; datagen `Generate` returns its data without a flag).
fn fetch_flag(editor: &crate::yaml::edit::Editor<'_>, removed: &RemovedKey<'_>) -> Option<Fix> {
    let sheets = removed
        .item?
        .get_str("type")
        .is_some_and(|t| types::is(t, "io.kestra.plugin.googleworkspace.sheets.Read"));
    let flag = match (removed.entry.value.as_str()?, sheets) {
        ("STORE", _) => "store",
        ("FETCH", true) => "fetch",
        _ => return None,
    };
    if removed.map.get(flag).is_some() {
        return None;
    }
    let fragment = crate::yaml::edit::entry(flag, "true")?;
    let edit = editor.replace_entry(removed.map, removed.key, &fragment)?;
    Some(Fix::safe(
        format!("replace `fetchType` with `{flag}: true`"),
        vec![edit],
    ))
}

/// Remove the key, with its comment lines.
fn remove(
    editor: &crate::yaml::edit::Editor<'_>,
    removed: &RemovedKey<'_>,
    applicability: Applicability,
) -> Option<Fix> {
    let edits = editor.remove_entry(removed.map, removed.key)?;
    Some(Fix::new(
        format!("remove `{}`", removed.key),
        applicability,
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, assert_silent_1_3, messages};

    const OLD: &str = "id: f\nnamespace: n\ninputs:\n  - name: x\n    type: STRING\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    retry:\n      type: constant\n      interval: PT1M\n      maxAttempt: 3\ntriggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"0 9 * * *\"\n    conditions:\n      - type: io.kestra.plugin.core.condition.Weekend\npluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\n";

    #[test]
    fn fires_on_each_removed_key() {
        assert_fires("K802", OLD, &[(4, 5), (13, 7), (18, 5), (20, 1)]);
        let m = messages("K802", OLD);
        assert_eq!(m[3], "Unrecognized field \"pluginDefaults\"");
    }

    #[test]
    fn what_kestra_migrate_drops_is_removed() {
        use crate::rules::test_support::fixed;
        let head = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
        let schedule = format!("{head}triggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"0 9 * * *\"\n    # catch up since January\n    backfill:\n      start: 2024-01-01T00:00:00Z\n");
        assert_eq!(
            fixed("K802", &schedule),
            Some((
                format!("{head}triggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"0 9 * * *\"\n"),
                false
            ))
        );
        let sheets = "id: f\nnamespace: n\ntasks:\n  - id: r\n    type: io.kestra.plugin.googleworkspace.sheets.Read\n    spreadsheetId: abc\n    fetchType: FETCH # all rows\n";
        assert_eq!(
            fixed("K802", sheets),
            Some((sheets.replace("fetchType: FETCH", "fetch: true"), true))
        );
        let generate = sheets
            .replace("googleworkspace.sheets.Read", "datagen.core.Generate")
            .replace("FETCH", "STORE");
        assert_eq!(
            fixed("K802", &generate),
            Some((generate.replace("fetchType: STORE", "store: true"), true))
        );
        let http = "id: f\nnamespace: n\ntasks:\n  - id: r\n    type: io.kestra.plugin.core.http.Request\n    uri: https://example.com\n    options:\n      connectionPoolIdleTimeout: PT10S\n      readTimeout: PT5S\n";
        assert_eq!(
            fixed("K802", http),
            Some((
                http.replace("      connectionPoolIdleTimeout: PT10S\n", ""),
                true
            ))
        );
    }

    #[test]
    fn renames_are_safe_fixes() {
        let (source, diags) = crate::rules::test_support::lint(OLD);
        let fixes: Vec<(String, String)> = diags
            .iter()
            .filter(|d| d.code == "K802")
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == crate::diagnostic::Applicability::Safe)
            .map(|f| {
                let e = &f.edits[0];
                (source.text[e.span.clone()].to_string(), e.content.clone())
            })
            .collect();
        assert_eq!(
            fixes,
            [
                ("name".to_string(), "id".to_string()),
                ("maxAttempt".to_string(), "maxAttempts".to_string())
            ]
        );
        let both = OLD.replace(
            "      maxAttempt: 3\n",
            "      maxAttempt: 3\n      maxAttempts: 3\n",
        );
        let (_, diags) = crate::rules::test_support::lint(&both);
        let retry = diags
            .iter()
            .find(|d| d.code == "K802" && d.message.contains("maxAttempt"))
            .unwrap();
        assert!(retry.fix.is_none());
    }

    #[test]
    fn no_unknown_property_beside_it() {
        crate::rules::test_support::assert_silent("S001", OLD);
    }

    #[test]
    fn silent_on_2_0_syntax_and_on_1_3() {
        assert_silent_1_3("K802", OLD);
        assert_silent(
            "K802",
            "id: f\nnamespace: n\ninputs:\n  - id: x\n    type: STRING\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    retry:\n      type: constant\n      interval: PT1M\n      maxAttempts: 3\ntriggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"0 9 * * *\"\n    when: \"{{ not isWeekend(trigger.date) }}\"\n",
        );
    }

    const HEAD: &str = "id: f\nnamespace: n\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";

    fn unsafe_fix(yaml: &str) -> Option<String> {
        let (text, safe) = crate::rules::test_support::fixed("K802", yaml)?;
        assert!(!safe);
        Some(text)
    }

    #[test]
    fn plugin_defaults_are_inlined() {
        let yaml = format!("{HEAD}pluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\n");
        assert_eq!(
            unsafe_fix(&yaml).unwrap(),
            "id: f\nnamespace: n\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    level: WARN\n    message: m\n"
        );
        // A forced default over the task's own value: which one wins needs a person.
        let forced = yaml
            .replace("    message: m\n", "    message: m\n    level: ERROR\n")
            .replace("    values:\n", "    forced: true\n    values:\n");
        assert_eq!(unsafe_fix(&forced), None);
    }

    #[test]
    fn trigger_conditions_become_when_or_depends_on() {
        let schedule = format!("{HEAD}triggers:\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"0 9 * * *\"\n    conditions:\n      - type: io.kestra.plugin.core.condition.Weekend\n");
        assert!(unsafe_fix(&schedule)
            .unwrap()
            .ends_with("    when: \"{{ isWeekend(trigger.date) }}\"\n"));
        let between = schedule.replace(
            "condition.Weekend\n",
            "condition.TimeBetween\n        after: \"08:00:00+01:00\"\n",
        );
        assert_eq!(unsafe_fix(&between), None);
        let flow = format!("{HEAD}triggers:\n  - id: up\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.ExecutionStatus\n        in: [FAILED]\n      - type: io.kestra.plugin.core.condition.ExecutionNamespace\n        namespace: prod\n        prefix: true\n");
        assert!(unsafe_fix(&flow).unwrap().ends_with(
            "    dependsOn:\n      - states: [FAILED]\n        when: \"{{ trigger.namespace | startsWith('prod') }}\"\n"
        ));
    }

    #[test]
    fn script_runners_basic_auth_and_worker_groups() {
        use crate::rules::test_support::fixed;
        let process = "id: f\nnamespace: n\ntasks:\n  - id: s\n    type: io.kestra.plugin.scripts.shell.Commands\n    runner: PROCESS\n    commands: [ls]\n";
        assert_eq!(
            fixed("K802", process),
            Some((
                process.replace(
                    "runner: PROCESS\n",
                    "taskRunner:\n      type: io.kestra.plugin.core.runner.Process\n"
                ),
                true
            ))
        );
        let auth = format!("{HEAD}  - id: h\n    type: io.kestra.plugin.core.http.Request\n    uri: https://x\n    options:\n      basicAuthUser: u\n      basicAuthPassword: \"{{{{ secret('P') }}}}\"\n");
        let (text, safe) = fixed("K802", &auth).unwrap();
        assert!(safe);
        assert!(text.ends_with("    options:\n      auth:\n        type: BASIC\n        username: u\n        password: \"{{ secret('P') }}\"\n"), "{text}");
        let group = format!("{HEAD}    workerGroup:\n      key: gpu\n");
        assert!(unsafe_fix(&group)
            .unwrap()
            .ends_with("    workerSelector:\n      tags: [gpu]\n      fallback: WAIT\n"));
        assert_eq!(
            unsafe_fix(&group.replace("key: gpu", "key: \"{{ vars.g }}\"")),
            None
        );
    }

    #[test]
    fn rewrites_write_the_file_s_line_endings() {
        let auth = format!("{HEAD}  - id: h\n    type: io.kestra.plugin.core.http.Request\n    uri: https://x\n    options:\n      basicAuthUser: u # who\n      basicAuthPassword: p\n").replace('\n', "\r\n");
        let (text, _) = crate::rules::test_support::fixed("K802", &auth).unwrap();
        assert!(text.ends_with("    options:\r\n      auth:\r\n        type: BASIC\r\n        username: u # who\r\n        password: p\r\n"), "{text:?}");
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    }
}
