//! Span edits on a YAML text: rename a key, replace a scalar keeping its quotes, remove an
//! entry with its own comment lines, insert or replace entries at the mapping's indentation.
//! Entries are moved as their source lines (re-indented), so comments and quoting inside them
//! survive. Every function answers `None` for a shape it cannot edit exactly.

use crate::diagnostic::Edit;
use crate::yaml::{Entry, Node, ScalarStyle};

/// The start of the line holding `at`.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `at`, before its `\n`.
pub fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

/// The column (in bytes) of `at` on its line.
pub fn column(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

fn only_spaces(s: &str) -> bool {
    s.bytes().all(|b| b == b' ')
}

/// Where an entry's text ends: the end of its last non-blank byte (a block scalar's span
/// runs into the next line).
fn entry_last(text: &str, entry: &Entry) -> usize {
    let mut last = entry.value.span.end.max(entry.key.span.end).min(text.len());
    while last > entry.key.span.end && text.as_bytes()[last - 1].is_ascii_whitespace() {
        last -= 1;
    }
    last
}

/// The end of an entry's last line (before `\n`), if what follows the value on that line is
/// blank or a comment (a block mapping's entry).
fn entry_line_end(text: &str, entry: &Entry) -> Option<usize> {
    let last = entry_last(text, entry);
    let end = line_end(text, last);
    let rest = text[last..end].trim_start();
    (rest.is_empty() || rest.starts_with('#')).then_some(end)
}

/// The column of a block mapping's keys.
fn key_column(text: &str, map: &Node) -> Option<usize> {
    let first = map.as_map()?.first()?;
    Some(column(text, first.key.span.start))
}

/// Is this key written as its plain text in the file?
fn plain_key<'t>(text: &'t str, entry: &Entry) -> Option<&'t str> {
    let key = entry.key_str()?;
    let written = text.get(entry.key.span.clone())?;
    (written == key).then_some(written)
}

/// Rename a key written plainly.
pub fn rename_key(text: &str, entry: &Entry, new: &str) -> Option<Edit> {
    plain_key(text, entry)?;
    Some(Edit {
        span: entry.key.span.clone(),
        content: new.to_string(),
    })
}

/// Can `s` be written as a plain scalar, reading back as the same string?
pub fn plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.contains(['\n', '\t', '{', '}', '[', ']', ','])
        && crate::yaml::resolve_plain(s) == crate::yaml::ScalarValue::Str
}

/// `s` as a YAML scalar: plain when it reads back as this string, else double-quoted.
pub fn scalar(s: &str) -> String {
    if plain_safe(s) {
        return s.to_string();
    }
    double_quoted(s)
}

/// `s` as a double-quoted YAML scalar.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Replace a one-line scalar's value, keeping its quotes: `type: "…ForEach"` keeps its
/// double quotes. A value that needs quoting in a plain scalar is double-quoted.
pub fn replace_scalar(text: &str, node: &Node, new: &str) -> Option<Edit> {
    let s = node.as_scalar()?;
    let written = text.get(node.span.clone())?;
    if written.contains('\n') {
        return None;
    }
    let (span, content) = match s.style {
        ScalarStyle::Plain => (node.span.clone(), scalar(new)),
        ScalarStyle::SingleQuoted if written.len() >= 2 && !new.contains(['\'', '\n']) => {
            (node.span.start + 1..node.span.end - 1, new.to_string())
        }
        ScalarStyle::DoubleQuoted if written.len() >= 2 && !new.contains(['"', '\\', '\n']) => {
            (node.span.start + 1..node.span.end - 1, new.to_string())
        }
        _ => return None,
    };
    Some(Edit { span, content })
}

/// An entry's source lines, the first starting at its key, the others relative to the key's
/// column. `None` in a flow mapping or when a line is indented less than the key.
pub fn entry_lines(text: &str, entry: &Entry) -> Option<Vec<String>> {
    let start = entry.key.span.start;
    let end = entry_line_end(text, entry)?;
    relative_lines(text, start, end)
}

/// The lines of `text[start..end]`, the first as is, the others relative to `start`'s column.
/// `None` when a line is indented less than that column.
fn relative_lines(text: &str, start: usize, end: usize) -> Option<Vec<String>> {
    let col = column(text, start);
    let mut lines = Vec::new();
    for (i, line) in text[start..end].split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i == 0 {
            lines.push(line.to_string());
        } else if line.trim().is_empty() {
            lines.push(String::new());
        } else {
            let (indent, rest) = line.split_at(line.len().min(col));
            if !only_spaces(indent) {
                return None;
            }
            lines.push(rest.to_string());
        }
    }
    Some(lines)
}

/// [`entry_lines`], or for an entry of a flow mapping with a one-line value, `key: value`.
pub fn entry_lines_any(text: &str, entry: &Entry) -> Option<Vec<String>> {
    if let Some(lines) = entry_lines(text, entry) {
        return Some(lines);
    }
    let key = text.get(entry.key.span.clone())?;
    let value = text.get(entry.value.span.clone())?;
    (!key.contains('\n') && !value.contains('\n')).then(|| vec![format!("{key}: {value}")])
}

/// The lines of a value node (a block mapping or list), relative to its first line's column.
pub fn value_lines(text: &str, node: &Node) -> Option<Vec<String>> {
    if node.flow_style {
        let written = text.get(node.span.clone())?;
        return (!written.contains('\n')).then(|| vec![written.to_string()]);
    }
    let start = node.span.start;
    let end = line_end(text, node.span.end.max(start));
    relative_lines(text, start, end)
}

/// Indent relative lines for a key at column `col`; the first line is not indented (it goes
/// where the edit starts).
fn render(lines: &[String], col: usize) -> String {
    let pad = " ".repeat(col);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
            }
        }
        out.push_str(line);
    }
    out
}

/// Prefix every line but the first with `by` spaces (a nested value's lines).
pub fn indent(lines: &[String], by: usize) -> Vec<String> {
    let pad = " ".repeat(by);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l.clone()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect()
}

/// Insert entries (relative lines, see [`entry_lines`]) into a block mapping after `after`
/// (after its last entry when `None`).
pub fn insert(text: &str, map: &Node, after: Option<&Entry>, lines: &[String]) -> Option<Edit> {
    if lines.is_empty() {
        return None;
    }
    let entries = map.as_map()?;
    let after = after.or(entries.last())?;
    if map.flow_style {
        if lines.len() != 1 {
            return None;
        }
        let at = entry_last(text, after);
        return Some(Edit {
            span: at..at,
            content: format!(", {}", lines[0]),
        });
    }
    let col = key_column(text, map)?;
    let at = entry_line_end(text, after)?;
    let mut content = String::new();
    for line in lines {
        content.push('\n');
        if !line.is_empty() {
            content.push_str(&" ".repeat(col));
        }
        content.push_str(line);
    }
    Some(Edit {
        span: at..at,
        content,
    })
}

/// Replace a whole entry (key and value) of a block mapping by relative lines at its column.
pub fn replace_entry(text: &str, map: &Node, entry: &Entry, lines: &[String]) -> Option<Edit> {
    if map.flow_style {
        if lines.len() != 1 {
            return None;
        }
        return Some(Edit {
            span: entry.key.span.start..entry_last(text, entry),
            content: lines[0].clone(),
        });
    }
    let col = column(text, entry.key.span.start);
    let end = entry_line_end(text, entry)?;
    let mut content = render(lines, col);
    // A one-line entry's own comment stays on the first line written in its place.
    let last = entry_last(text, entry);
    let rest = &text[last..end];
    if !text[entry.key.span.start..last].contains('\n') && rest.trim_start().starts_with('#') {
        let first_end = content.find('\n').unwrap_or(content.len());
        if !content[..first_end].contains(" #") && !content.contains(rest.trim()) {
            content.insert_str(first_end, rest);
        }
    }
    Some(Edit {
        span: entry.key.span.start..end,
        content,
    })
}

/// Remove an entry, with the comment lines right above it at its indentation. The mapping
/// must keep another entry (an emptied block mapping would read as `null`).
pub fn remove_entry(text: &str, map: &Node, entry: &Entry) -> Option<Edit> {
    let entries = map.as_map()?;
    if entries.len() < 2 {
        return None;
    }
    let index = entries.iter().position(|e| std::ptr::eq(e, entry))?;
    let next = entries.get(index + 1);
    if map.flow_style {
        let span = match (index.checked_sub(1).map(|i| &entries[i]), next) {
            (Some(prev), _) => entry_last(text, prev)..entry_last(text, entry),
            (None, Some(next)) => entry.key.span.start..next.key.span.start,
            (None, None) => return None,
        };
        return Some(Edit {
            span,
            content: String::new(),
        });
    }
    let key = entry.key.span.start;
    let start = line_start(text, key);
    let end = entry_line_end(text, entry)?;
    if !only_spaces(&text[start..key]) {
        // `- key: …` opens a list item: the next key takes its place on that line.
        let next = next?;
        return Some(Edit {
            span: key..next.key.span.start,
            content: String::new(),
        });
    }
    let col = key - start;
    let mut from = start;
    while from > 0 {
        let above = line_start(text, from - 1);
        let line = &text[above..from - 1];
        let trimmed = line.trim_start_matches(' ');
        if trimmed.starts_with('#') && line.len() - trimmed.len() == col {
            from = above;
        } else {
            break;
        }
    }
    let mut to = (end + 1).min(text.len());
    // The last entry of the file: the blank lines before it go too.
    if to == text.len() && text[..from].ends_with("\n\n") {
        while text[..from].ends_with("\n\n") {
            from -= 1;
        }
        to = text.len();
    }
    Some(Edit {
        span: from..to,
        content: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply;

    fn root(text: &str) -> Node {
        crate::yaml::parse(text).root.unwrap()
    }

    fn run(text: &str, edit: Option<Edit>) -> String {
        apply(text, &[vec![edit.expect("an edit")]]).0
    }

    #[test]
    fn removes_an_entry_with_its_comment_lines() {
        let text = "a: 1\n# about b\nb:\n  c: 2 # c\nd: 3\n";
        let r = root(text);
        let e = r.entry("b").unwrap();
        assert_eq!(run(text, remove_entry(text, &r, e)), "a: 1\nd: 3\n");
        let text = "- a: 1\n  b: 2\n";
        let r = root(text);
        let item = &r.as_seq().unwrap()[0];
        assert_eq!(
            run(text, remove_entry(text, item, item.entry("a").unwrap())),
            "- b: 2\n"
        );
        let text = "x: {a: 1, b: 2}\n";
        let r = root(text);
        let m = r.get("x").unwrap();
        assert_eq!(
            run(text, remove_entry(text, m, m.entry("b").unwrap())),
            "x: {a: 1}\n"
        );
    }

    #[test]
    fn inserts_and_replaces_at_the_mapping_indentation() {
        let text = "t:\n  - id: a\n    type: x # the type\n    v: |\n      keep\n";
        let r = root(text);
        let item = &r.get("t").unwrap().as_seq().unwrap()[0];
        let lines = vec!["n:".to_string(), "  m: 1".to_string()];
        assert_eq!(
            run(text, insert(text, item, item.entry("type"), &lines)),
            "t:\n  - id: a\n    type: x # the type\n    n:\n      m: 1\n    v: |\n      keep\n"
        );
        assert_eq!(
            run(text, insert(text, item, None, &lines)),
            "t:\n  - id: a\n    type: x # the type\n    v: |\n      keep\n    n:\n      m: 1\n"
        );
        let moved = entry_lines(text, item.entry("v").unwrap()).unwrap();
        assert_eq!(moved, ["v: |", "  keep"]);
        assert_eq!(
            run(
                text,
                replace_entry(text, item, item.entry("id").unwrap(), &lines)
            ),
            "t:\n  - n:\n      m: 1\n    type: x # the type\n    v: |\n      keep\n"
        );
    }

    #[test]
    fn replaces_scalars_keeping_quotes() {
        let text = "a: \"x\"\nb: 'y'\nc: z\n";
        let r = root(text);
        assert_eq!(
            run(text, replace_scalar(text, r.get("a").unwrap(), "new")),
            "a: \"new\"\nb: 'y'\nc: z\n"
        );
        assert_eq!(
            run(text, replace_scalar(text, r.get("c").unwrap(), "a: b")),
            "a: \"x\"\nb: 'y'\nc: \"a: b\"\n"
        );
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("io.kestra.x"), "io.kestra.x");
    }
}
