//! Kestra's identifier patterns (Jakarta `@Pattern`, a full match) and lengths, shared by the
//! identifier rules.

/// Flow id: `^[a-zA-Z0-9][a-zA-Z0-9._-]*`, 1–100 characters.
pub fn is_valid_flow_id(s: &str) -> bool {
    matches_id(
        s,
        |c| c.is_ascii_alphanumeric(),
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'),
    )
}

/// Namespace: `^[a-z0-9][a-z0-9._-]*` (lower case only), 1–150 characters.
pub fn is_valid_namespace(s: &str) -> bool {
    let lower_or_digit = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    matches_id(s, lower_or_digit, |c| {
        lower_or_digit(c) || matches!(c, '.' | '_' | '-')
    })
}

/// Task and trigger id: `^[a-zA-Z0-9][a-zA-Z0-9_-]*` (no dots).
pub fn is_valid_task_id(s: &str) -> bool {
    matches_id(
        s,
        |c| c.is_ascii_alphanumeric(),
        |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'),
    )
}

/// Input and output id: `^[a-zA-Z0-9][.a-zA-Z0-9_-]*` (dots allowed).
pub fn is_valid_input_id(s: &str) -> bool {
    is_valid_flow_id(s)
}

pub const FLOW_ID_MAX: usize = 100;
pub const NAMESPACE_MAX: usize = 150;

fn matches_id(s: &str, first: impl Fn(char) -> bool, rest: impl Fn(char) -> bool) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(first) && chars.all(rest)
}

/// Every id pattern is one character class for the first character and one for the rest, so
/// whether `c` may follow a valid prefix depends only on that prefix's first character: check
/// the two-character string instead of the whole prefix (linear, whatever the id's length).
fn extends(valid: &impl Fn(&str) -> bool, first: Option<char>, c: char) -> bool {
    let mut probe = String::with_capacity(8);
    probe.extend(first);
    probe.push(c);
    valid(&probe)
}

/// The first character that breaks an id pattern, with its byte offset in `s`.
pub fn first_bad_char(s: &str, valid: impl Fn(&str) -> bool) -> Option<(usize, char)> {
    let first = s.chars().next();
    s.char_indices()
        .find(|&(i, c)| !extends(&valid, if i == 0 { None } else { first }, c))
}

/// An id as messages quote it: a 1 MB id is shown by its first characters and its length.
fn abbreviate(id: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 60;
    match id.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}… ({} characters)", &id[..cut], id.chars().count()).into(),
        None => id.into(),
    }
}

/// `a space`, `a tab`, or the character in backquotes.
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        c => format!("`{c}`"),
    }
}

/// A suggestion for an invalid id: invalid characters replaced by `_` (or, for namespaces,
/// lower-cased first).
pub fn sanitize(s: &str, valid: impl Fn(&str) -> bool, lower: bool) -> Option<String> {
    let base = if lower {
        s.to_lowercase()
    } else {
        s.to_string()
    };
    let mut out = String::new();
    let mut first = None;
    for c in base.chars() {
        if extends(&valid, first, c) {
            out.push(c);
        } else if first.is_some() && extends(&valid, first, '_') {
            out.push('_');
        }
        first = first.or(out.chars().next());
    }
    (valid(&out) && out != s).then_some(out)
}

use crate::diagnostic::{Diagnostic, Span};
use crate::flow::Item;
use crate::yaml::Node;

use super::RuleMeta;

/// Report every id seen before, pointing at the repeat with the first one as context.
pub fn report_duplicates<'a>(
    meta: &'static RuleMeta,
    what: &str,
    ids: impl IntoIterator<Item = (&'a str, Span)>,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Document order, so "first defined here" is the one a reader meets first.
    let mut ids: Vec<_> = ids.into_iter().collect();
    ids.sort_by_key(|(_, span)| span.start);
    let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
    for (id, span) in ids {
        match seen.get(id) {
            Some(first) => out.push(
                meta.diag(format!("duplicate {what} `{id}`"), span)
                    .with_label("defined again here")
                    .with_secondary(first.clone(), "first defined here")
                    .with_help(help),
            ),
            None => {
                seen.insert(id, span);
            }
        }
    }
}

/// `(id, span of the id value)` for items whose id is a scalar.
pub fn item_ids<'a>(items: impl IntoIterator<Item = &'a Item<'a>>) -> Vec<(&'a str, Span)> {
    items
        .into_iter()
        .filter_map(|item| {
            let node = item.id_node()?;
            Some((node.scalar_text()?, node.span.clone()))
        })
        .collect()
}

/// What to say about an id that breaks its pattern.
pub struct IdCheck<'s> {
    /// "task id", "flow id", …
    pub what: &'s str,
    pub pattern: &'s str,
    pub valid: fn(&str) -> bool,
    pub max_len: Option<usize>,
    /// Suggest a lower-cased fix (namespaces).
    pub lower: bool,
}

/// Check one id value node against its pattern and length; a missing or non-string id is
/// reported on `anchor`.
pub fn check_id_node(
    meta: &'static RuleMeta,
    check: &IdCheck<'_>,
    node: Option<&Node>,
    anchor: Span,
    out: &mut Vec<Diagnostic>,
) {
    let what = check.what;
    let Some(node) = node else {
        out.push(
            meta.diag(format!("missing {what}"), anchor)
                .with_label("this has no `id`")
                .with_help(format!("add an `id:` matching `{}`", check.pattern)),
        );
        return;
    };
    let Some(value) = node.scalar_text() else {
        out.push(
            meta.diag(
                format!("{what} must be a string, found {}", node.kind_name()),
                node.span.clone(),
            )
            .with_help(format!("use a plain string matching `{}`", check.pattern)),
        );
        return;
    };
    if value.trim().is_empty() {
        out.push(
            meta.diag(format!("{what} must not be blank"), node.span.clone())
                .with_help(format!("use a name matching `{}`", check.pattern)),
        );
        return;
    }
    if !(check.valid)(value) {
        let full = value;
        let value = abbreviate(full);
        let mut d = match first_bad_char(full, check.valid) {
            Some((_, c)) if check.lower && c.is_uppercase() => meta
                .diag(
                    format!("{what} `{value}` must be lower case"),
                    node.span.clone(),
                )
                .with_label(format!("must match `{}`", check.pattern)),
            Some((i, c)) if i > 0 || !(check.valid)(&c.to_string()) => meta
                .diag(
                    format!(
                        "{what} `{value}` contains {}, which is not allowed",
                        describe_char(c)
                    ),
                    node.span.clone(),
                )
                .with_label(format!("must match `{}`", check.pattern)),
            _ => meta
                .diag(
                    format!("{what} `{value}` does not match `{}`", check.pattern),
                    node.span.clone(),
                )
                .with_label("invalid id"),
        };
        d = match sanitize(full, check.valid, check.lower) {
            Some(fixed) => d.with_help(format!(
                "use only the characters the pattern allows, e.g. `{}`",
                abbreviate(&fixed)
            )),
            None => d.with_help(format!("the {what} must match `{}`", check.pattern)),
        };
        out.push(d);
        return;
    }
    if let Some(max) = check.max_len {
        let len = value.chars().count();
        if len > max {
            out.push(
                meta.diag(
                    format!("{what} is {len} characters long; the maximum is {max}"),
                    node.span.clone(),
                )
                .with_help(format!("shorten the {what} to {max} characters or fewer")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(is_valid_flow_id("my-flow.v2_a"));
        assert!(!is_valid_flow_id("-flow"));
        assert!(!is_valid_flow_id("my#flow"));
        assert!(is_valid_namespace("company.team-a"));
        assert!(!is_valid_namespace("Company.team"));
        assert!(is_valid_task_id("task_1-a"));
        assert!(!is_valid_task_id("task.1"));
        assert!(is_valid_input_id("a.b"));
        assert!(!is_valid_task_id(""));
    }

    #[test]
    fn first_bad_char_and_sanitize() {
        assert_eq!(first_bad_char("my#flow", is_valid_flow_id), Some((2, '#')));
        assert_eq!(
            sanitize("my#flow", is_valid_flow_id, false).as_deref(),
            Some("my_flow")
        );
        assert_eq!(
            sanitize("MY$NAMESPACE", is_valid_namespace, true).as_deref(),
            Some("my_namespace")
        );
        assert_eq!(
            sanitize("-a b", is_valid_task_id, false).as_deref(),
            Some("a_b")
        );
    }

    /// 200,000 characters used to take a minute (every prefix re-checked).
    #[test]
    fn long_ids_are_checked_in_linear_time() {
        let long = "a ".repeat(100_000);
        assert_eq!(first_bad_char(&long, is_valid_flow_id), Some((1, ' ')));
        let fixed = sanitize(&long, is_valid_flow_id, false).unwrap();
        assert_eq!(fixed.len(), long.trim_end().len() + 1);
        assert!(fixed.starts_with("a_a_"));
        assert_eq!(abbreviate(&"ab".repeat(40)).chars().count(), 60 + 17);
        assert_eq!(abbreviate("short"), "short");
    }
}
