//! What Kestra 2.0 removed from the flow syntax, with the replacement to name: types (K801) and
//! properties (K802). The facts are those of `schemas/derive_core_2_0.py` (the 2.0 schema is
//! derived with the same lists); `schemas/README.md` says where each was read. S001 and S005
//! leave these constructs to K801/K802, which say what 2.0 wants instead.

use crate::diagnostic::Span;
use crate::flow::{types, Flow, Item};
use crate::yaml::{Entry, Node};

const LOOP_HELP: &str = "use `io.kestra.plugin.core.flow.Loop`: `item.value` replaces `taskrun.value` (and `parent.taskrun.value` in nested tasks)";
const KV_HELP: &str =
    "use the `io.kestra.plugin.core.kv` tasks (`name` becomes `key`, `data` becomes `value`)";

/// Task and trigger types Kestra 2.0 refuses (`Invalid type: …`), with what to use instead.
const REMOVED_TYPES: &[(&str, &str)] = &[
    ("io.kestra.plugin.core.flow.ForEach", LOOP_HELP),
    (
        "io.kestra.plugin.core.flow.EachSequential",
        "use `io.kestra.plugin.core.flow.Loop` with `concurrencyLimit: 1`: `item.value` replaces `taskrun.value`",
    ),
    (
        "io.kestra.plugin.core.flow.EachParallel",
        "use `io.kestra.plugin.core.flow.Loop` (`concurrencyLimit: 0` runs every value at once): `item.value` replaces `taskrun.value`",
    ),
    (
        "io.kestra.plugin.core.flow.ForEachItem",
        "use `io.kestra.plugin.core.flow.Loop` over the file (`values` takes an internal-storage URI: one iteration per line) with a Subflow inside",
    ),
    (
        "io.kestra.plugin.core.debug.Echo",
        "use `io.kestra.plugin.core.log.Log` (`format` becomes `message`)",
    ),
    (
        "io.kestra.plugin.core.flow.Template",
        "use `io.kestra.plugin.core.flow.Subflow` (`templateId` becomes `flowId`)",
    ),
    ("io.kestra.plugin.core.state.Get", KV_HELP),
    ("io.kestra.plugin.core.state.Set", KV_HELP),
    ("io.kestra.plugin.core.state.Delete", KV_HELP),
    (
        "io.kestra.plugin.core.storage.LocalFiles",
        "use `inputFiles`/`outputFiles` on a script task or a `WorkingDirectory`",
    ),
    (
        "io.kestra.plugin.core.execution.Count",
        "Kestra 2.0 has no core replacement: search executions through the Kestra API (plugin-kestra)",
    ),
    (
        "io.kestra.plugin.core.execution.Resume",
        "Kestra 2.0 has no core replacement: resume executions through the Kestra API (plugin-kestra)",
    ),
    (
        "io.kestra.plugin.core.log.Fetch",
        "use `io.kestra.plugin.kestra.logs.Fetch` (plugin-kestra; it needs `auth`)",
    ),
    (
        "io.kestra.plugin.core.trigger.Toggle",
        "Kestra 2.0 has no replacement: enable or disable triggers from the UI or the API",
    ),
];

/// Input types Kestra 2.0 refuses (`Invalid type: BOOLEAN`).
const REMOVED_INPUT_TYPES: &[(&str, &str)] = &[
    ("BOOLEAN", "use `BOOL`"),
    ("ENUM", "use `SELECT` (or `MULTISELECT` for several values)"),
];

const WORKER_GROUP_HELP: &str =
    "use `workerSelector: {tags: [<worker group key>]}` (Kestra 2.0 routes tasks to worker queues by tag)";
const CONDITIONS_HELP: &str =
    "use `when: \"{{ … }}\"`, a Pebble condition (on a Flow trigger, `dependsOn` names the upstream flows)";

/// Flow keys Kestra 2.0 refuses (`Unrecognized field "pluginDefaults"`).
const FLOW_KEYS: &[(&str, &str)] = &[
    (
        "pluginDefaults",
        "Kestra 2.0 removed flow-level plugin defaults: set these values on the tasks they apply to",
    ),
    (
        "taskDefaults",
        "Kestra 2.0 removed flow-level plugin defaults: set these values on the tasks they apply to",
    ),
    (
        "listeners",
        "Kestra 2.0 removed listeners: move their tasks to `afterExecution`, or to a flow with a Flow trigger",
    ),
    ("workerGroup", WORKER_GROUP_HELP),
];

/// Keys every trigger lost.
const TRIGGER_KEYS: &[(&str, &str)] = &[
    ("conditions", CONDITIONS_HELP),
    ("scheduleConditions", CONDITIONS_HELP),
    ("minLogLevel", "use `logLevel`"),
    ("workerGroup", WORKER_GROUP_HELP),
    (
        "backfill",
        "Kestra 2.0 removed backfills from the flow: start a backfill from the UI or the API",
    ),
    (
        "backfills",
        "Kestra 2.0 removed backfills from the flow: start a backfill from the UI or the API",
    ),
];

/// Keys one type lost: (canonical type, key, help).
const TYPE_KEYS: &[(&str, &str, &str)] = &[
    (
        "io.kestra.plugin.core.trigger.Flow",
        "preconditions",
        "use `dependsOn` (one entry per upstream flow, with `states`) and `window`",
    ),
    (
        "io.kestra.plugin.core.flow.Subflow",
        "outputs",
        "declare `outputs` in the subflow itself and read them as `outputs.<task id>.outputs.<output id>`",
    ),
    (
        "io.kestra.plugin.core.flow.Pause",
        "delay",
        "use `pauseDuration`",
    ),
    (
        "io.kestra.plugin.core.flow.Pause",
        "tasks",
        "Kestra 2.0 removed Pause `tasks`: put these tasks after the Pause",
    ),
    (
        "io.kestra.plugin.datagen.core.Generate",
        "fetchType",
        "use `store: true` (for STORE) or leave it out (the generated data is returned)",
    ),
    (
        "io.kestra.plugin.googleworkspace.sheets.Read",
        "fetchType",
        "use `store: true` (for STORE) or `fetch: true` (for FETCH)",
    ),
    ("io.kestra.plugin.core.http.Request", "sslOptions", "use `options.ssl`"),
    ("io.kestra.plugin.core.http.Download", "sslOptions", "use `options.ssl`"),
    ("io.kestra.plugin.core.http.SseRequest", "sslOptions", "use `options.ssl`"),
    ("io.kestra.plugin.core.http.Trigger", "sslOptions", "use `options.ssl`"),
];

/// Keys of every task's `options` (the HTTP client configuration).
const HTTP_OPTION_KEYS: &[(&str, &str)] = &[
    (
        "basicAuthUser",
        "use `options.auth: {type: BASIC, username: …, password: …}`",
    ),
    (
        "basicAuthPassword",
        "use `options.auth: {type: BASIC, username: …, password: …}`",
    ),
    (
        "connectionPoolIdleTimeout",
        "Kestra 2.0 removed this HTTP option: drop it",
    ),
];

/// Keys of a script task (`io.kestra.plugin.scripts.*`).
const SCRIPT_KEYS: &[(&str, &str)] = &[
    (
        "runner",
        "use `taskRunner` (`type: io.kestra.plugin.core.runner.Process` for PROCESS, `io.kestra.plugin.scripts.runner.docker.Docker` for DOCKER)",
    ),
    (
        "docker",
        "use `taskRunner: {type: io.kestra.plugin.scripts.runner.docker.Docker, …}`, and `containerImage` for the image",
    ),
];

const RETRY_KEYS: &[(&str, &str)] = &[("maxAttempt", "use `maxAttempts`")];

/// Removed keys whose replacement takes the same value: renaming the key is the whole fix.
/// Each key is unique to the owners it is looked up on (input `name`, Pause `delay`…).
const RENAMES: &[(&str, &str)] = &[
    ("maxAttempt", "maxAttempts"),
    ("name", "id"),
    ("delay", "pauseDuration"),
    ("options", "values"),
    ("minLogLevel", "logLevel"),
];

/// The replacement of a type Kestra 2.0 removed (aliases of removed types included).
pub fn removed_type(name: &str) -> Option<&'static str> {
    let canonical = types::canonical(name);
    REMOVED_TYPES
        .iter()
        .find(|(t, _)| *t == canonical)
        .map(|(_, help)| *help)
}

/// The replacement of an input type Kestra 2.0 removed.
pub fn removed_input_type(name: &str) -> Option<&'static str> {
    REMOVED_INPUT_TYPES
        .iter()
        .find(|(t, _)| *t == name)
        .map(|(_, help)| *help)
}

/// On the 2.0 target, is `name` a type K801 reports (so S005/S006 stay quiet about it)?
pub fn reported_type(target: crate::config::Target, name: &str) -> bool {
    target.is_2_0() && (removed_type(name).is_some() || removed_input_type(name).is_some())
}

/// On the 2.0 target, the key spans K802 reports (so S001 stays quiet about them).
pub fn reported_key_spans(target: crate::config::Target, flow: Option<&Flow<'_>>) -> Vec<Span> {
    match flow {
        Some(flow) if target.is_2_0() => removed_keys(flow)
            .iter()
            .map(|k| k.entry.key.span.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// A type in the flow that Kestra 2.0 refuses.
pub struct RemovedType<'a> {
    pub name: &'a str,
    pub span: Span,
    pub help: &'static str,
    /// The task, trigger or input whose `type` it is.
    pub node: &'a Node,
    /// Its index in [`Flow::tasks`] when it is a task.
    pub task: Option<usize>,
    pub input: bool,
}

/// Every task, trigger and input type of the flow that Kestra 2.0 removed.
pub fn removed_types<'a>(flow: &Flow<'a>) -> Vec<RemovedType<'a>> {
    let mut out = Vec::new();
    let items = flow
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.item, Some(i)))
        .chain(flow.triggers.iter().map(|t| (t, None)));
    for (item, task) in items {
        if let (Some(node), Some(name)) = (item.type_node(), item.type_name()) {
            if let Some(help) = removed_type(name) {
                out.push(RemovedType {
                    name,
                    span: node.span.clone(),
                    help,
                    node: item.node,
                    task,
                    input: false,
                });
            }
        }
    }
    for input in &flow.inputs {
        if let (Some(node), Some(name)) = (input.type_node(), input.type_name()) {
            if let Some(help) = removed_input_type(name) {
                out.push(RemovedType {
                    name,
                    span: node.span.clone(),
                    help,
                    node: input.node,
                    task: None,
                    input: true,
                });
            }
        }
    }
    out
}

/// A key in the flow that Kestra 2.0 refuses.
pub struct RemovedKey<'a> {
    pub entry: &'a Entry,
    pub key: &'a str,
    /// "flow", "`Schedule` trigger", "retry", …
    pub owner: String,
    pub help: &'static str,
    /// The key that replaces it with the same value, when renaming is the whole fix and that
    /// key is not set already.
    pub rename: Option<&'static str>,
    /// The mapping holding the key.
    pub map: &'a Node,
    /// The task or trigger the key belongs to (for `options` and `retry` keys, the task).
    pub item: Option<&'a Node>,
}

/// Every key of the flow that Kestra 2.0 removed, in document order of the owners.
pub fn removed_keys<'a>(flow: &Flow<'a>) -> Vec<RemovedKey<'a>> {
    let mut out = Vec::new();
    scan(flow.root, None, "flow".to_string(), FLOW_KEYS, &mut out);
    if let Some(retry) = flow.root.get("retry") {
        scan(retry, None, "retry".to_string(), RETRY_KEYS, &mut out);
    }
    for trigger in &flow.triggers {
        let owner = owner_of(trigger, "trigger");
        scan(
            trigger.node,
            Some(trigger.node),
            owner.clone(),
            TRIGGER_KEYS,
            &mut out,
        );
        type_keys(trigger, &owner, &mut out);
    }
    for task in &flow.tasks {
        let owner = owner_of(task, "task");
        scan(
            task.node,
            Some(task.node),
            owner.clone(),
            &[("workerGroup", WORKER_GROUP_HELP)],
            &mut out,
        );
        type_keys(task, &owner, &mut out);
        if let Some(retry) = task.node.get("retry") {
            scan(
                retry,
                Some(task.node),
                format!("retry of {owner}"),
                RETRY_KEYS,
                &mut out,
            );
        }
        if let Some(options) = task.node.get("options") {
            scan(
                options,
                Some(task.node),
                format!("`options` of {owner}"),
                HTTP_OPTION_KEYS,
                &mut out,
            );
        }
        if task
            .type_name()
            .is_some_and(|t| t.starts_with("io.kestra.plugin.scripts."))
        {
            scan(task.node, Some(task.node), owner, SCRIPT_KEYS, &mut out);
        }
    }
    for input in &flow.inputs {
        let ty = input.type_name().unwrap_or("");
        let owner = format!("`{ty}` input");
        let mut keys: Vec<(&str, &'static str)> = vec![("name", "use `id`")];
        if ty == "MULTISELECT" {
            keys.push(("options", "use `values`"));
        }
        if ty == "FILE" {
            keys.push(("extension", "use `allowedFileExtensions`"));
        }
        scan(input.node, Some(input.node), owner, &keys, &mut out);
    }
    out
}

fn owner_of(item: &Item<'_>, what: &str) -> String {
    match item.type_name() {
        Some(t) => format!("`{}` {what}", t.rsplit('.').next().unwrap_or(t)),
        None => what.to_string(),
    }
}

fn type_keys<'a>(item: &Item<'a>, owner: &str, out: &mut Vec<RemovedKey<'a>>) {
    let Some(name) = item.type_name() else { return };
    let canonical = types::canonical(name);
    let keys: Vec<(&str, &'static str)> = TYPE_KEYS
        .iter()
        .filter(|(t, _, _)| *t == canonical)
        .map(|(_, k, help)| (*k, *help))
        .collect();
    scan(item.node, Some(item.node), owner.to_string(), &keys, out);
}

fn scan<'a>(
    node: &'a Node,
    item: Option<&'a Node>,
    owner: String,
    keys: &[(&str, &'static str)],
    out: &mut Vec<RemovedKey<'a>>,
) {
    for entry in node.as_map().unwrap_or_default() {
        let Some(key) = entry.key_str() else { continue };
        if let Some((_, help)) = keys.iter().find(|(k, _)| *k == key) {
            let rename = RENAMES
                .iter()
                .find(|(old, _)| *old == key)
                .map(|(_, new)| *new)
                .filter(|new| node.get(new).is_none());
            out.push(RemovedKey {
                entry,
                key,
                owner: owner.clone(),
                help,
                rename,
                map: node,
                item,
            });
        }
    }
}
