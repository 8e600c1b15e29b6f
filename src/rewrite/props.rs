//! Property rewrites: `required: false` beside `defaults`, HTTP basic auth, `local.Delete`
//! `recursive`, check `condition`, PurgeKV `expiredOnly`, `workerGroup`, `CANCELED`.

use super::text::{
    entry_lines, indent, insert, remove_entry, rename_key, replace_entry, replace_scalar,
};
use crate::diagnostic::{Applicability, Fix};
use crate::yaml::{Entry, Node};

/// Drop `required: false` beside `defaults` (2.0 always applies the default: behaviour kept).
pub fn drop_required_false(text: &str, input: &Node, required: &Entry) -> Option<Fix> {
    super::fix(
        "remove `required: false`",
        Applicability::Safe,
        vec![remove_entry(text, input, required)?],
    )
}

/// `options.basicAuthUser`/`basicAuthPassword` → `options.auth: {type: BASIC, …}`.
pub fn http_basic_auth(text: &str, options: &Node) -> Option<Fix> {
    if options.get("auth").is_some() {
        return None;
    }
    let user = options.entry("basicAuthUser");
    let password = options.entry("basicAuthPassword");
    let mut lines = vec!["auth:".to_string(), "  type: BASIC".to_string()];
    for (entry, key) in [(user, "username"), (password, "password")] {
        let Some(entry) = entry else { continue };
        let mut moved = entry_lines(text, entry)?;
        let value = moved[0].split_once(':')?.1.to_string();
        moved[0] = format!("{key}:{value}");
        lines.extend(indent(&moved, 2).into_iter().enumerate().map(|(i, l)| {
            if i == 0 {
                format!("  {l}")
            } else {
                l
            }
        }));
    }
    let first = user.or(password)?;
    let mut edits = vec![replace_entry(text, options, first, &lines)?];
    if let (Some(_), Some(p)) = (user, password) {
        edits.push(remove_entry(text, options, p)?);
    }
    super::fix(
        "move the credentials to `options.auth` (`type: BASIC`)",
        Applicability::Safe,
        edits,
    )
}

/// `io.kestra.plugin.fs.local.Delete` without `recursive`: add `recursive: true`, the 1.x
/// default.
pub fn local_delete_recursive(text: &str, task: &Node) -> Option<Fix> {
    super::fix(
        "add `recursive: true` (the Kestra 1.x default)",
        Applicability::Safe,
        vec![insert(text, task, None, &["recursive: true".to_string()])?],
    )
}

/// A root check's `condition` → `when` (the same Pebble condition).
pub fn check_condition(text: &str, check: &Node, condition: &Entry) -> Option<Fix> {
    if check.get("when").is_some() {
        return None;
    }
    super::fix(
        "rename `condition` to `when`",
        Applicability::Safe,
        vec![rename_key(text, condition, "when")?],
    )
}

/// PurgeKV `expiredOnly: x` → `behavior: {type: key, expiredOnly: x}`.
pub fn purge_kv_expired_only(text: &str, task: &Node, expired: &Entry) -> Option<Fix> {
    if task.get("behavior").is_some() {
        return None;
    }
    let moved = entry_lines(text, expired)?;
    let mut lines = vec!["behavior:".to_string(), "  type: key".to_string()];
    lines.push(format!("  {}", moved[0]));
    lines.extend(indent(&moved, 2).into_iter().skip(1));
    super::fix(
        "move `expiredOnly` into `behavior: {type: key, …}`",
        Applicability::Safe,
        vec![replace_entry(text, task, expired, &lines)?],
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
pub fn worker_group(text: &str, owner: &Node, group: &Entry) -> Option<Fix> {
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
    let lines = vec![
        "workerSelector:".to_string(),
        format!("  tags: [{key}]"),
        format!("  fallback: {fallback}"),
    ];
    super::fix(
        format!("replace `workerGroup` with `workerSelector` (tag `{key}`, fallback {fallback}): create a Worker Queue tagged `{key}`"),
        Applicability::Unsafe,
        vec![replace_entry(text, owner, group, &lines)?],
    )
}

/// `CANCELED` → `CANCELLED` (Exit `state`, `states`, ExecutionStatus `in`/`notIn`).
pub fn cancelled(text: &str, value: &Node) -> Option<Fix> {
    (value.as_str()? == "CANCELED").then_some(())?;
    super::fix(
        "replace `CANCELED` with `CANCELLED`",
        Applicability::Safe,
        vec![replace_scalar(text, value, "CANCELLED")?],
    )
}
