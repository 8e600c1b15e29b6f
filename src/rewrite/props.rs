//! Property rewrites: `required: false` beside `defaults`, HTTP basic auth, `local.Delete`
//! `recursive`, check `condition`, PurgeKV `expiredOnly`, `workerGroup`, `CANCELED`.

use crate::diagnostic::{Applicability, Fix};
use crate::yaml::edit::{entry, At, Editor};
use crate::yaml::{Entry, Node};

/// Drop `required: false` beside `defaults` (2.0 always applies the default: behaviour kept).
pub fn drop_required_false(editor: &Editor<'_>, input: &Node, required: &Entry) -> Option<Fix> {
    super::fix(
        "remove `required: false`",
        Applicability::Safe,
        editor.remove_entry(input, required.key_str()?)?,
    )
}

/// `options.basicAuthUser`/`basicAuthPassword` → `options.auth: {type: BASIC, …}`.
pub fn http_basic_auth(editor: &Editor<'_>, options: &Node) -> Option<Fix> {
    const USER: &str = "basicAuthUser";
    const PASSWORD: &str = "basicAuthPassword";
    if options.get("auth").is_some() {
        return None;
    }
    let user = options.get(USER).is_some();
    let password = options.get(PASSWORD).is_some();
    let mut fields = vec!["type: BASIC".to_string()];
    for (old, key) in [(USER, "username"), (PASSWORD, "password")] {
        if options.get(old).is_none() {
            continue;
        }
        // The entry as written, under its new key (its value's text and comment kept).
        let moved = editor.entry_text(options, old)?;
        fields.push(format!("{key}:{}", moved.split_once(':')?.1));
    }
    let auth = entry("auth", &fields.join("\n"))?;
    let first = if user { USER } else { PASSWORD };
    let mut edits = vec![editor.replace_entry(options, first, &auth)?];
    if user && password {
        edits.extend(editor.remove_entry(options, PASSWORD)?);
    }
    super::fix(
        "move the credentials to `options.auth` (`type: BASIC`)",
        Applicability::Safe,
        edits,
    )
}

/// `io.kestra.plugin.fs.local.Delete` without `recursive`: add `recursive: true`, the 1.x
/// default.
pub fn local_delete_recursive(editor: &Editor<'_>, task: &Node) -> Option<Fix> {
    super::fix(
        "add `recursive: true` (the Kestra 1.x default)",
        Applicability::Safe,
        vec![editor.insert_entry(task, At::End, "recursive", "true")?],
    )
}

/// A root check's `condition` → `when` (the same Pebble condition).
pub fn check_condition(editor: &Editor<'_>, check: &Node, condition: &Entry) -> Option<Fix> {
    if check.get("when").is_some() {
        return None;
    }
    super::fix(
        "rename `condition` to `when`",
        Applicability::Safe,
        vec![editor.rename_key(check, condition.key_str()?, "when")?],
    )
}

/// PurgeKV `expiredOnly: x` → `behavior: {type: key, expiredOnly: x}`.
pub fn purge_kv_expired_only(editor: &Editor<'_>, task: &Node, expired: &Entry) -> Option<Fix> {
    if task.get("behavior").is_some() {
        return None;
    }
    let key = expired.key_str()?;
    let moved = editor.entry_text(task, key)?;
    let behavior = entry("behavior", &format!("type: key\n{moved}"))?;
    super::fix(
        "move `expiredOnly` into `behavior: {type: key, …}`",
        Applicability::Safe,
        vec![editor.replace_entry(task, key, &behavior)?],
    )
}

/// Is `s` an RFC 1123 label (a worker selector tag)?
fn rfc1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// `workerGroup: {key: k, fallback: f}` → `workerSelector: {tags: [k], fallback: f or WAIT}`.
/// Unsafe: the Worker Queue tagged `k` must exist. A templated or non-RFC-1123 key has no fix.
pub fn worker_group(editor: &Editor<'_>, owner: &Node, group: &Entry) -> Option<Fix> {
    if owner.get("workerSelector").is_some() {
        return None;
    }
    let key = group.value.get_str("key")?;
    if !rfc1123_label(key) {
        return None;
    }
    let fallback = match group.value.get_str("fallback") {
        None => "WAIT",
        Some(f @ ("FAIL" | "WAIT" | "CANCEL")) => f,
        Some(_) => return None,
    };
    if group
        .value
        .as_map()?
        .iter()
        .any(|e| !matches!(e.key_str(), Some("key" | "fallback")))
    {
        return None;
    }
    let selector = entry(
        "workerSelector",
        &format!("tags: [{key}]\nfallback: {fallback}"),
    )?;
    super::fix(
        format!("replace `workerGroup` with `workerSelector` (tag `{key}`, fallback {fallback}): create a Worker Queue tagged `{key}`"),
        Applicability::Unsafe,
        vec![editor.replace_entry(owner, group.key_str()?, &selector)?],
    )
}

/// `CANCELED` → `CANCELLED` (Exit `state`, `states`, ExecutionStatus `in`/`notIn`).
pub fn cancelled(editor: &Editor<'_>, value: &Node) -> Option<Fix> {
    (value.as_str()? == "CANCELED").then_some(())?;
    super::fix(
        "replace `CANCELED` with `CANCELLED`",
        Applicability::Safe,
        vec![editor.replace_scalar(value, "CANCELLED")?],
    )
}
