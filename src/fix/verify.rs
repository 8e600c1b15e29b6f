//! The check every edited text passes before it is kept: it parses, and its data equals the
//! original's outside the subtrees the fixes declared ([`crate::diagnostic::Fix::targets`]).

use serde_json::Value;

use crate::diagnostic::Edit;
use crate::yaml::{Node, NodeKind};

/// Stands for a masked subtree in both texts.
const MASKED: &str = "\u{0}masked";

/// The original text, parsed once per pass.
pub struct Original {
    /// The data, when the text parsed.
    data: Option<Value>,
    /// The 0-based line of the first syntax error, when it did not.
    error_line: Option<usize>,
}

impl Original {
    pub fn new(text: &str) -> Self {
        let doc = crate::yaml::parse(text);
        let error_line = doc.syntax_error.as_ref().map(|e| line_of(text, e.offset));
        Self {
            data: error_line
                .is_none()
                .then(|| doc.root.as_ref().map_or(Value::Null, Node::to_json)),
            error_line,
        }
    }

    /// Why `after` may not replace the original under `targets`, if it may not.
    pub fn refuse(&self, after: &str, targets: &[String]) -> Option<String> {
        let doc = crate::yaml::parse(after);
        if let Some(err) = &doc.syntax_error {
            let line = line_of(after, err.offset);
            // YAML that did not parse may be fixed part of the way: the first error must
            // move down (or go), never appear or move up.
            return match self.error_line {
                Some(old) if line > old => None,
                _ => Some(format!(
                    "the result does not parse ({} at line {})",
                    err.message,
                    line + 1
                )),
            };
        }
        let before = self.data.as_ref()?;
        let after = doc.root.as_ref().map_or(Value::Null, Node::to_json);
        let (mut b, mut a) = (before.clone(), after);
        for t in targets {
            mask(&mut b, t);
            mask(&mut a, t);
        }
        let path = first_difference(&b, &a, String::new())?;
        let shown = if path.is_empty() { "/" } else { &path };
        Some(format!(
            "the result changes `{shown}`, outside what the fix may change ({})",
            describe(targets)
        ))
    }
}

fn describe(targets: &[String]) -> String {
    if targets.is_empty() {
        return "no data".to_string();
    }
    targets
        .iter()
        .map(|t| format!("`{}`", if t.is_empty() { "/" } else { t }))
        .collect::<Vec<_>>()
        .join(", ")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count()
}

/// Hide the subtree at `pointer`: a mapping entry is removed, a list item replaced by a
/// marker (so the other items keep their indices), the root replaced.
fn mask(value: &mut Value, pointer: &str) {
    if pointer.is_empty() {
        *value = Value::String(MASKED.to_string());
        return;
    }
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match value.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Some(item) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *item = Value::String(MASKED.to_string());
            }
        }
        _ => {}
    }
}

/// The pointer of the first place where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let here = format!("{at}/{}", crate::yaml::edit::escape_pointer(k));
                match y.get(k) {
                    Some(w) => {
                        if let Some(p) = first_difference(v, w, here) {
                            return Some(p);
                        }
                    }
                    None => return Some(here),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{at}/{}", crate::yaml::edit::escape_pointer(k)))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if let Some(p) = first_difference(v, w, format!("{at}/{i}")) {
                    return Some(p);
                }
            }
            (x.len() != y.len()).then(|| format!("{at}/{}", x.len().min(y.len())))
        }
        _ => (a != b).then_some(at),
    }
}

/// The default target of a fix that declares none: the smallest node holding every edit
/// (an edit in a key: its mapping, which the new key changes).
pub fn enclosing(root: Option<&Node>, text: &str, edits: &[Edit]) -> String {
    let Some(mut node) = root else {
        return String::new();
    };
    let (start, end) = edits.iter().fold((usize::MAX, 0), |(s, e), x| {
        (s.min(x.span.start), e.max(x.span.end))
    });
    let holds = |n: &Node| {
        let mut stop = n.span.end;
        // A block scalar's span runs past its last character.
        while stop > n.span.start
            && text
                .as_bytes()
                .get(stop - 1)
                .is_some_and(u8::is_ascii_whitespace)
        {
            stop -= 1;
        }
        n.span.start <= start && end <= stop.max(n.span.start) && n.span.start < n.span.end
    };
    let mut pointer = String::new();
    loop {
        let next = match &node.kind {
            NodeKind::Map(entries) => entries.iter().find_map(|e| {
                holds(&e.value).then(|| {
                    (
                        format!(
                            "/{}",
                            crate::yaml::edit::escape_pointer(e.key_str().unwrap_or(""))
                        ),
                        &e.value,
                    )
                })
            }),
            NodeKind::Seq(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, n)| holds(n).then(|| (format!("/{i}"), n))),
            _ => None,
        };
        match next {
            Some((step, child)) => {
                pointer.push_str(&step);
                node = child;
            }
            None => return pointer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refuse(before: &str, after: &str, targets: &[&str]) -> Option<String> {
        let t: Vec<String> = targets.iter().map(|s| s.to_string()).collect();
        Original::new(before).refuse(after, &t)
    }

    #[test]
    fn data_outside_the_targets_must_not_change() {
        let before = "a:\n  x: 1\nb: [1, 2]\n";
        assert_eq!(refuse(before, "a:\n  x: 2\nb: [1, 2]\n", &["/a/x"]), None);
        assert_eq!(
            refuse(before, "a:\n  y: 1\nb: [1, 2]\n", &["/a/x", "/a/y"]),
            None
        );
        assert_eq!(refuse(before, "b: [1, 2]\na:\n  x: 1 # moved\n", &[]), None);
        let r = refuse(before, "a:\n  x: 2\nb: [1, 3]\n", &["/a"]).unwrap();
        assert!(r.contains("`/b/1`"), "{r}");
        let r = refuse(before, "a:\n  x: 2\nb: [1, 2]\n", &[]).unwrap();
        assert!(r.contains("`/a/x`") && r.contains("no data"), "{r}");
        assert_eq!(refuse(before, "c: 1\n", &[""]), None);
    }

    #[test]
    fn the_result_must_parse() {
        let r = refuse("a: 1\n", "a: [1\n", &[""]).unwrap();
        assert!(r.starts_with("the result does not parse"), "{r}");
        // A file that did not parse may have its first error moved down.
        assert_eq!(refuse("a: [\nb: 1\n", "a: []\nb: 1\n", &[""]), None);
    }

    #[test]
    fn the_default_target_is_the_smallest_node_holding_the_edits() {
        let text = "a:\n  retry:\n    maxAttempt: 3\n  s: |\n    x\nb: 1\n";
        let doc = crate::yaml::parse(text);
        let at = |s: &str| {
            let i = text.find(s).unwrap();
            let s = s.trim_end();
            enclosing(
                doc.root.as_ref(),
                text,
                &[Edit {
                    span: i..i + s.len(),
                    content: String::new(),
                }],
            )
        };
        assert_eq!(at("maxAttempt"), "/a/retry");
        assert_eq!(at("3"), "/a/retry/maxAttempt");
        assert_eq!(at("x\n"), "/a/s");
        assert_eq!(at("b: 1"), "");
    }
}
