//! Structural edits on YAML text: each operation reads the spanned tree and returns
//! [`Edit`]s (a span and its replacement) that change one node and keep every other byte —
//! comments, quoting, layout, line endings. Fixes are built from these; [`crate::fix`] parses
//! each result again and drops a fix whose result does not parse or changes data outside the
//! fix's targets.
//!
//! **Fragments.** New or moved YAML is passed around as a *fragment*: the text of one value
//! (or, for `*_entry_text`, of one `key: value` entry) as it would be written at column 0 of
//! a file, lines separated by `\n`, without a trailing line break (`"1"`, `"a: 1\nb: 2"`,
//! `"|\n  line\n"`, `"- x\n- y"`, `"# note\nkey: v"`). The editor indents it where it goes and
//! writes the file's line ending. [`Editor::value_fragment`] and [`Editor::entry_fragment`]
//! cut fragments out of the file (with their comment lines) for moves; [`render`] and
//! [`scalar()`] write new ones.
//!
//! **Comments.** An entry or list item owns the comment lines right above it at its own
//! column and the comment lines after it indented deeper than it (inside its block); removing
//! or moving it takes them along. Other comments stay where they are.

mod scalar;
#[cfg(test)]
mod tests;

pub use scalar::{double_quoted, flow_scalar, plain, render, scalar, single_quoted};

use super::{parse, CommentPlacement, Document, Node, NodeKind, ScalarStyle, ScalarValue};
use crate::diagnostic::{Edit, Span};

/// Where [`Editor::insert_entry`] puts a new entry in a mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At<'k> {
    /// Before the first entry.
    Start,
    /// After the last entry.
    End,
    /// Right after the entry with this key (after its comment lines).
    After(&'k str),
    /// Right before the entry with this key (before its comment lines).
    Before(&'k str),
}

/// Builds edits for one parsed text. Cheap: borrow the text and its [`Document`].
pub struct Editor<'a> {
    text: &'a str,
    root: Option<&'a Node>,
    /// The file's line ending, used for every line break written.
    nl: &'static str,
    /// Starts of own-line comments, sorted.
    own_comments: Vec<usize>,
    /// Spans of end-of-line comments, sorted.
    eol_comments: Vec<Span>,
}

/// Where a node sits in the tree.
struct Loc<'a> {
    parent: Option<&'a Node>,
    /// Its index in the parent mapping or sequence.
    index: usize,
    /// Inside a `[…]`/`{…}` collection (so `,` and brackets end a plain scalar).
    in_flow: bool,
    pointer: String,
}

/// One entry or item of a collection, as the edits see it.
struct Unit {
    /// The key's start, or the item's dash (block) / start (flow).
    anchor: usize,
    /// Where its text ends (no trailing blanks).
    end: usize,
}

impl<'a> Editor<'a> {
    pub fn new(text: &'a str, doc: &'a Document) -> Self {
        let mut own_comments = Vec::new();
        let mut eol_comments = Vec::new();
        for c in &doc.comments {
            match c.placement {
                CommentPlacement::OwnLine => own_comments.push(c.span.start),
                CommentPlacement::EndOfLine => eol_comments.push(c.span.clone()),
            }
        }
        own_comments.sort_unstable();
        eol_comments.sort_by_key(|s| s.start);
        Self {
            text,
            root: doc.root.as_ref(),
            nl: if text.contains("\r\n") { "\r\n" } else { "\n" },
            own_comments,
            eol_comments,
        }
    }

    /// The JSON pointer (`/tasks/0/retry`) of a node of this tree (`""` for the root), the
    /// form [`crate::diagnostic::Fix::targets`] takes. A key node gives its entry's pointer.
    pub fn pointer(&self, node: &Node) -> Option<String> {
        self.locate(node).map(|l| l.pointer)
    }

    /// The pointer of `key` inside the mapping `map` (present or not: a key a fix adds).
    pub fn pointer_in(&self, map: &Node, key: &str) -> Option<String> {
        Some(format!("{}/{}", self.pointer(map)?, escape_pointer(key)))
    }

    // ----- scalars and keys -------------------------------------------------------------

    /// Replace a scalar's value, keeping its style: plain stays plain when a plain scalar
    /// reads back as the new text (else double quotes), single quotes stay single (double
    /// when the text has a line break), a block scalar keeps `|`/`>`, its indentation and
    /// header comment (chomping follows the new text's final line breaks). A scalar that was
    /// not a string (`3`, `true`) is written as given when plain.
    pub fn replace_scalar(&self, node: &Node, value: &str) -> Option<Edit> {
        let s = node.as_scalar()?;
        let loc = self.locate(node)?;
        if matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded) {
            return self.replace_block_scalar(node, s.style, value);
        }
        let string = s.value == ScalarValue::Str;
        let content = scalar::in_style(value, s.style, loc.in_flow, string);
        // A multi-line plain or quoted scalar is replaced whole, on one line.
        Some(edit(node.span.clone(), content))
    }

    /// Rename the key of the entry `key` in `map`, keeping the key's quoting.
    pub fn rename_key(&self, map: &Node, key: &str, new_key: &str) -> Option<Edit> {
        let entry = map.entry(key)?;
        let style = entry.key.as_scalar()?.style;
        if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
            return None;
        }
        let flow = map.flow_style || self.locate(map)?.in_flow;
        let content = scalar::in_style(new_key, style, flow, true);
        Some(edit(entry.key.span.clone(), content))
    }

    /// Replace part of a scalar's value: `cooked` is a byte range of the value (as Kestra
    /// reads it), `new_text` its replacement, escaped for the scalar's style. `None` when the
    /// file does not hold those bytes as written (an escape, a folded line break) or the
    /// style cannot hold the new text there (a line break, plain text that would stop
    /// reading as the same kind of string).
    pub fn replace_in_scalar(
        &self,
        node: &Node,
        cooked: std::ops::Range<usize>,
        new_text: &str,
    ) -> Option<Edit> {
        let s = node.as_scalar()?;
        let old = s.text.get(cooked.clone())?;
        let map = super::map_scalar(self.text, node)?;
        let file = map.span(cooked.clone());
        if self.text.get(file.clone())? != old || new_text.contains(['\n', '\r']) {
            return None;
        }
        let content = match s.style {
            ScalarStyle::Plain => {
                let loc = self.locate(node)?;
                let whole = format!(
                    "{}{new_text}{}",
                    &s.text[..cooked.start],
                    &s.text[cooked.end..]
                );
                scalar::plain_as(&whole, loc.in_flow, s.value == ScalarValue::Str)?;
                new_text.to_string()
            }
            ScalarStyle::SingleQuoted => {
                let quoted = single_quoted(new_text)?;
                quoted[1..quoted.len() - 1].to_string()
            }
            ScalarStyle::DoubleQuoted => {
                let quoted = double_quoted(new_text);
                quoted[1..quoted.len() - 1].to_string()
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                if new_text.chars().any(|c| c.is_control()) {
                    return None;
                }
                new_text.to_string()
            }
        };
        Some(edit(file, content))
    }

    // ----- comments -------------------------------------------------------------------

    /// Remove the comment at `span` (from its `#`): its whole line when it is alone on it,
    /// else the comment and the blanks before it.
    pub fn remove_comment(&self, span: Span) -> Option<Edit> {
        let start = span.start;
        if self.own_comments.binary_search(&start).is_ok() {
            let line = self.line_start(start);
            return Some(edit(line..self.next_line(start), String::new()));
        }
        self.eol_comments.iter().find(|c| c.start == start)?;
        let from = self.text[..start].trim_end_matches([' ', '\t']).len();
        Some(edit(from..self.line_end(start), String::new()))
    }

    /// Replace `range`, inside the comment that starts at `comment`, with `new_text` (one
    /// line, no data changes).
    pub fn replace_in_comment(&self, comment: usize, range: Span, new_text: &str) -> Option<Edit> {
        let known = self.own_comments.binary_search(&comment).is_ok()
            || self.eol_comments.iter().any(|c| c.start == comment);
        let end = self.line_end(comment);
        (known && comment < range.start && range.end <= end && !new_text.contains(['\n', '\r']))
            .then(|| edit(range, new_text.to_string()))
    }

    fn replace_block_scalar(&self, node: &Node, style: ScalarStyle, value: &str) -> Option<Edit> {
        if node.as_scalar()?.text.trim().is_empty() {
            return None; // an empty body has no line of its own to replace
        }
        let header = self.block_header(node)?;
        let header_end = header + self.text[header..].find([' ', '\t', '\r', '\n'])?;
        let indent = self.col(node.span.start).max(1);
        let trimmed = value.trim_end_matches('\n');
        let trailing = value.len() - trimmed.len();
        let chomp = match trailing {
            0 => "-",
            1 => "",
            _ => "+",
        };
        let lines: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('\n').collect()
        };
        // Folding would join lines: a value with inner line breaks is written literally.
        let indicator = if style == ScalarStyle::Folded && lines.len() <= 1 {
            ">"
        } else {
            "|"
        };
        let explicit = if lines.first().is_some_and(|l| l.starts_with(' ')) {
            "2"
        } else {
            ""
        };
        let pad = " ".repeat(indent);
        let mut content = format!("{indicator}{explicit}{chomp}");
        // The header's comment and the rest of its line stay.
        content.push_str(&self.text[header_end..self.line_end(header)]);
        for l in &lines {
            content.push_str(self.nl);
            if !l.is_empty() {
                content.push_str(&pad);
                content.push_str(l);
            }
        }
        for _ in 1..trailing {
            content.push_str(self.nl);
        }
        // Up to the last content line's end: blank lines after it stay as they are, unless
        // the new value keeps them (`+`): then they are replaced too.
        let last = self.line_end(self.end_of(node));
        let end = if trailing > 1 {
            let full = &self.text[..node.span.end];
            let full = full.strip_suffix('\n').unwrap_or(full);
            full.strip_suffix('\r').unwrap_or(full).len().max(last)
        } else {
            last
        };
        Some(edit(header..end.max(header_end), content))
    }

    /// The offset of a block scalar's `|`/`>` indicator.
    fn block_header(&self, node: &Node) -> Option<usize> {
        // The body starts at the span; the header ends the last line before it with content.
        let mut line = self.line_start(node.span.start);
        loop {
            if line == 0 {
                return None;
            }
            line = self.line_start(line - 1);
            let end = self.line_end(line);
            let end = self.eol_comment_on(line, end).unwrap_or(end);
            let content = self.text[line..end].trim_end();
            if content.trim().is_empty() {
                continue;
            }
            let word_start = content.rfind([' ', '\t']).map_or(0, |i| i + 1);
            let word = &content[word_start..];
            return word.starts_with(['|', '>']).then_some(line + word_start);
        }
    }

    // ----- removing -------------------------------------------------------------------

    /// Remove the entry `key` of `map` with its own comment lines. The last entry of a block
    /// mapping leaves `{}` (the key keeps an empty mapping, not null).
    pub fn remove_entry(&self, map: &Node, key: &str) -> Option<Vec<Edit>> {
        let index = map
            .as_map()?
            .iter()
            .position(|e| e.key_str() == Some(key))?;
        let units = self.units(map)?;
        self.remove_unit(map, &units, index, "{}")
    }

    /// Remove item `index` of `seq` with its own comment lines; the last one leaves `[]`.
    pub fn remove_item(&self, seq: &Node, index: usize) -> Option<Vec<Edit>> {
        seq.as_seq()?.get(index)?;
        let units = self.units(seq)?;
        self.remove_unit(seq, &units, index, "[]")
    }

    fn remove_unit(&self, coll: &Node, units: &[Unit], i: usize, empty: &str) -> Option<Vec<Edit>> {
        let u = units.get(i)?;
        if coll.flow_style {
            let span = if units.len() == 1 {
                coll.span.start + 1..coll.span.end.saturating_sub(1)
            } else if i + 1 < units.len() {
                u.anchor..units[i + 1].anchor
            } else {
                units[i - 1].end..u.end
            };
            return Some(vec![edit(span, String::new())]);
        }
        let c = self.col(u.anchor);
        if !self.first_on_line(u.anchor) {
            // `- key: v` (the first entry of an item's mapping): the next entry moves up.
            if let Some(next) = units.get(i + 1) {
                let start = self.lead(next.anchor, self.col(next.anchor));
                let start = start + self.indent_at(start);
                return Some(vec![edit(u.anchor..start, String::new())]);
            }
            return Some(vec![edit(u.anchor..u.end, empty.to_string())]);
        }
        let mut span = self.lead(u.anchor, c)..self.tail(u.end, c);
        if units.len() > 1 {
            // The last lines of the file: the empty lines before them go too, or the file
            // would end with them (unless they are a `|+` block scalar's content).
            if i > 0 && span.end == self.text.len() && !self.keeps_final_lines(coll, i - 1) {
                span.start = self.blank_lines_before(span.start);
            }
            return Some(vec![edit(span, String::new())]);
        }
        // The only entry: the collection's key keeps an empty one.
        match self.previous_content_end(span.start) {
            Some(at) => Some(vec![
                edit(at..at, format!(" {empty}")),
                edit(span, String::new()),
            ]),
            None => Some(vec![edit(span, format!("{empty}{}", self.nl))]),
        }
    }

    /// Does unit `i` of `coll` end with a block scalar that keeps its final line breaks
    /// (`|+`, `>+`), so the blank lines after it are part of its value?
    fn keeps_final_lines(&self, coll: &Node, i: usize) -> bool {
        let mut node = match &coll.kind {
            NodeKind::Map(entries) => entries.get(i).map(|e| &e.value),
            NodeKind::Seq(items) => items.get(i),
            _ => None,
        };
        while let Some(n) = node {
            node = match &n.kind {
                NodeKind::Map(entries) => entries.last().map(|e| &e.value),
                NodeKind::Seq(items) => items.last(),
                NodeKind::Scalar(s) if is_block(s.style) => {
                    return self.block_header(n).is_some_and(|h| {
                        self.text[h..self.line_end(h)]
                            .split([' ', '\t'])
                            .next()
                            .is_some_and(|w| w.contains('+'))
                    });
                }
                _ => None,
            };
        }
        false
    }

    /// The start of the empty lines right above `line` (`line` when there are none).
    fn blank_lines_before(&self, line: usize) -> usize {
        let mut start = line;
        while start > 0 {
            let prev = self.line_start(start - 1);
            if !matches!(&self.text[prev..start], "\n" | "\r\n") {
                break;
            }
            start = prev;
        }
        start
    }

    // ----- inserting ------------------------------------------------------------------

    /// Insert `key: value` into `map` at `at`, at the mapping's indentation (block) or
    /// between its braces (flow). `value` is a fragment (see the module docs); in a flow
    /// mapping it must be one line. `None` when `at` names a missing key or the fragment
    /// does not parse.
    pub fn insert_entry(&self, map: &Node, at: At<'_>, key: &str, value: &str) -> Option<Edit> {
        let flow = map.flow_style || self.locate(map)?.in_flow;
        let text = if flow {
            if value.contains('\n') {
                return None;
            }
            format!("{}: {value}", flow_scalar(key))
        } else {
            entry_fragment_of(&scalar(key), value.strip_suffix('\n').unwrap_or(value))?
        };
        self.insert_entry_text(map, at, &text)
    }

    /// Insert an entry fragment (`key: value` lines, comments allowed) into `map` at `at`.
    pub fn insert_entry_text(&self, map: &Node, at: At<'_>, entry: &str) -> Option<Edit> {
        let entries = map.as_map()?;
        let position = |k: &str| entries.iter().position(|e| e.key_str() == Some(k));
        let after = match at {
            At::Start => None,
            At::End => entries.len().checked_sub(1),
            At::After(k) => Some(position(k)?),
            At::Before(k) => position(k)?.checked_sub(1),
        };
        let units = self.units(map)?;
        self.insert_unit(map, &units, after, entry)
    }

    /// Insert a fragment as a new item of `seq`, before item `index` (`seq.len()` or more:
    /// at the end).
    pub fn insert_item(&self, seq: &Node, index: usize, value: &str) -> Option<Edit> {
        let len = seq.as_seq()?.len();
        let flow = seq.flow_style || self.locate(seq)?.in_flow;
        let text = if flow {
            if value.contains('\n') {
                return None;
            }
            value.to_string()
        } else {
            fragment_kind(value)?;
            format!("- {}", indent_rest(value, 2))
        };
        let units = self.units(seq)?;
        let after = index.min(len).checked_sub(1);
        self.insert_unit(seq, &units, after, &text)
    }

    /// Insert `text` (a unit's fragment) after unit `after` (`None`: first).
    fn insert_unit(
        &self,
        coll: &Node,
        units: &[Unit],
        after: Option<usize>,
        text: &str,
    ) -> Option<Edit> {
        if coll.flow_style {
            if text.contains('\n') {
                return None;
            }
            return Some(match (after, units.is_empty()) {
                (_, true) => edit(coll.span.start + 1..coll.span.end - 1, text.to_string()),
                (None, false) => insert(units[0].anchor, format!("{text}, ")),
                (Some(i), false) => insert(units.get(i)?.end, format!(", {text}")),
            });
        }
        let first = units.first()?;
        let c = self.col(first.anchor);
        let pad = " ".repeat(c);
        let body = self.indented(text, &pad);
        match after {
            None if !self.first_on_line(first.anchor) => {
                // `- a: 1`: the new entry takes the dash's line, the old first one goes below.
                Some(insert(first.anchor, format!("{body}{}{pad}", self.nl)))
            }
            None => {
                let at = self.lead(first.anchor, c);
                Some(insert(at, format!("{pad}{body}{}", self.nl)))
            }
            Some(i) => {
                let at = self.tail(units.get(i)?.end, c);
                if at == self.text.len() && !self.text.ends_with('\n') {
                    Some(insert(at, format!("{}{pad}{body}", self.nl)))
                } else {
                    Some(insert(at, format!("{pad}{body}{}", self.nl)))
                }
            }
        }
    }

    // ----- replacing values -----------------------------------------------------------

    /// Replace the value of entry `key` in `map` with a fragment (block collections go on
    /// the lines below the key; the key line's comment stays).
    pub fn replace_value(&self, map: &Node, key: &str, value: &str) -> Option<Edit> {
        let entry = map.entry(key)?;
        let flow = map.flow_style || self.locate(map)?.in_flow;
        let colon = self.colon_after(&entry.key)?;
        let value_end = self.end_of(&entry.value).max(colon + 1);
        if flow {
            if value.contains('\n') {
                return None;
            }
            return Some(edit(colon + 1..value_end, format!(" {value}")));
        }
        let c = self.col(entry.key.span.start);
        let key_line_end = self.line_end(colon);
        let comment_start = self
            .eol_comment_on(self.line_start(colon), key_line_end)
            .filter(|&s| s > colon);
        let comment = comment_start.map(|s| &self.text[s..key_line_end]);
        let comment_inside = comment_start.is_some_and(|s| s < value_end);
        let is_block_scalar = matches!(&entry.value.kind, NodeKind::Scalar(s) if matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded));
        // A block scalar's span runs through its final line break: keep that break.
        let mut end = if is_block_scalar {
            self.line_end(value_end)
        } else {
            value_end
        };
        let value = value.strip_suffix('\n').unwrap_or(value);
        let mut content = String::from(":");
        if fragment_kind(value)? == FragmentKind::Block {
            // The key line's comment stays on the key line.
            if let Some(comment) = comment {
                content.push(' ');
                content.push_str(comment);
                if !comment_inside {
                    end = key_line_end;
                }
            }
            let pad = " ".repeat(c + 2);
            content.push_str(self.nl);
            content.push_str(&pad);
            content.push_str(&self.indented(value, &pad));
        } else {
            content.push(' ');
            content.push_str(&self.indented(&indent_rest(value, 2), &" ".repeat(c)));
            if let (Some(comment), true) = (comment, comment_inside) {
                if !value.contains('\n') {
                    content.push(' ');
                    content.push_str(comment);
                }
            }
        }
        Some(edit(colon..end.max(colon + 1), content))
    }

    /// Replace the entry `key` of `map` (its key and value, not the comment lines around it)
    /// with an entry fragment (one or more `key: value` lines) at the entry's column. A
    /// one-line entry's end-of-line comment stays, on the first line written in its place,
    /// unless that line has a comment of its own. In a flow mapping the fragment must be one
    /// line.
    pub fn replace_entry(&self, map: &Node, key: &str, fragment: &str) -> Option<Edit> {
        let entry = map.entry(key)?;
        let start = entry.key.span.start;
        let last = self.end_of(&entry.value).max(entry.key.span.end);
        if map.flow_style || self.locate(map)?.in_flow {
            return (!fragment.contains('\n')).then(|| edit(start..last, fragment.to_string()));
        }
        let end = self.line_end(last);
        let mut content = self.indented(fragment, &" ".repeat(self.col(start)));
        let comment = self
            .eol_comment_on(self.line_start(last), end)
            .filter(|&c| c >= last);
        if comment.is_some() && !self.text[start..last].contains('\n') {
            let rest = &self.text[last..end];
            let first_end = content.find(self.nl).unwrap_or(content.len());
            if !content[..first_end].contains(" #") && !content.contains(rest.trim()) {
                content.insert_str(first_end, rest);
            }
        }
        Some(edit(start..end, content))
    }

    /// Replace item `index` of `seq` with a fragment.
    pub fn replace_item(&self, seq: &Node, index: usize, value: &str) -> Option<Edit> {
        let item = seq.as_seq()?.get(index)?;
        let flow = seq.flow_style || self.locate(seq)?.in_flow;
        let start = self.inline_start(item)?;
        let end = self.end_of(item);
        if flow {
            if value.contains('\n') {
                return None;
            }
            return Some(edit(start..end, value.to_string()));
        }
        fragment_kind(value)?;
        let units = self.units(seq)?;
        let c = self.col(units.get(index)?.anchor);
        let pad = " ".repeat(c + 2);
        let end = if item
            .as_scalar()
            .is_some_and(|s| matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded))
        {
            self.line_end(end)
        } else {
            end
        };
        Some(edit(start..end, self.indented(value, &pad)))
    }

    // ----- moving ---------------------------------------------------------------------

    /// Nest the entries `keys` of `map` under a new key `new_key`, which takes the place of
    /// the first of them: `a: 1\nb: 2` → `new:\n  a: 1\n  b: 2`. Their comment lines and
    /// multi-line values (block scalars too) move with them, re-indented.
    pub fn nest_entries(&self, map: &Node, keys: &[&str], new_key: &str) -> Option<Vec<Edit>> {
        let entries = map.as_map()?;
        let mut indices: Vec<usize> = keys
            .iter()
            .map(|k| entries.iter().position(|e| e.key_str() == Some(*k)))
            .collect::<Option<_>>()?;
        indices.sort_unstable();
        indices.dedup();
        let first = *indices.first()?;
        let units = self.units(map)?;
        let flow = map.flow_style || self.locate(map)?.in_flow;
        let mut fragments = Vec::new();
        for &i in &indices {
            fragments.push(self.unit_fragment(map, &units, i)?);
        }
        let nested = if flow {
            format!("{}: {{{}}}", flow_scalar(new_key), fragments.join(", "))
        } else {
            let body: Vec<String> = fragments.iter().map(|f| indent_all(f, 2)).collect();
            format!("{}:\n{}", scalar(new_key), body.join("\n"))
        };
        // Everything but the first leaves; the first's place gets the new entry.
        let mut edits = Vec::new();
        let mut at_first = None;
        for &i in indices.iter().rev() {
            if i == first {
                continue;
            }
            edits.extend(self.remove_entry_keep_last(map, &units, i)?);
        }
        let u = &units[first];
        if flow {
            at_first.get_or_insert(edit(u.anchor..u.end, nested));
        } else {
            let c = self.col(u.anchor);
            let pad = " ".repeat(c);
            let body = self.indented(&nested, &pad);
            if self.first_on_line(u.anchor) {
                let span = self.lead(u.anchor, c)..self.tail(u.end, c);
                let line_break = if self.text[..span.end].ends_with('\n') {
                    self.nl
                } else {
                    ""
                };
                at_first = Some(edit(span, format!("{pad}{body}{line_break}")));
            } else {
                let end = self.tail(u.end, c);
                let line_break = if self.text[..end].ends_with('\n') {
                    self.nl
                } else {
                    ""
                };
                at_first = Some(edit(u.anchor..end, format!("{body}{line_break}")));
            }
        }
        edits.extend(at_first);
        merge_adjacent(edits)
    }

    /// Move the entry `key` of `from` into the mapping `to` at `at`, with its comment lines,
    /// re-indented. `None` when `to` lies inside the moved entry.
    pub fn move_entry(&self, from: &Node, key: &str, to: &Node, at: At<'_>) -> Option<Vec<Edit>> {
        let entry = from.entry(key)?;
        if entry.value.span.start <= to.span.start && to.span.end <= entry.value.span.end {
            return None;
        }
        let fragment = self.entry_fragment(from, key)?;
        let mut edits = self.remove_entry(from, key)?;
        edits.push(self.insert_entry_text(to, at, &fragment)?);
        merge_adjacent(edits)
    }

    /// Removing entries of a mapping that keeps at least one: never the `{}` case.
    fn remove_entry_keep_last(&self, map: &Node, units: &[Unit], i: usize) -> Option<Vec<Edit>> {
        self.remove_unit(map, units, i, "{}")
    }

    // ----- fragments ------------------------------------------------------------------

    /// The entry `key` of `map` as an entry fragment (`key: value`, with its comment lines),
    /// moved to column 0.
    pub fn entry_fragment(&self, map: &Node, key: &str) -> Option<String> {
        let index = map
            .as_map()?
            .iter()
            .position(|e| e.key_str() == Some(key))?;
        let units = self.units(map)?;
        self.unit_fragment(map, &units, index)
    }

    /// The entry `key` of `map` alone, as an entry fragment: from its key to the end of its
    /// last line (with the end-of-line comment there), later lines relative to the key's
    /// column, without the comment lines around it — for rebuilding an entry where those
    /// stay (see [`Editor::replace_entry`]). In a flow mapping: `key: value` as written, when
    /// it is on one line.
    pub fn entry_text(&self, map: &Node, key: &str) -> Option<String> {
        let entry = map.entry(key)?;
        let start = entry.key.span.start;
        if map.flow_style || self.locate(map)?.in_flow {
            let key = self.text.get(entry.key.span.clone())?;
            let value = self.text.get(entry.value.span.clone())?;
            return (!key.contains('\n') && !value.contains('\n'))
                .then(|| format!("{key}: {value}"));
        }
        let end = self.line_end(self.end_of(&entry.value).max(entry.key.span.end));
        dedent(&self.text[start..end], self.col(start), Some(start))
    }

    /// A node's value as a fragment at column 0 (a block mapping's lines dedented, a block
    /// scalar with its header), for moving it under another key.
    pub fn value_fragment(&self, node: &Node) -> Option<String> {
        let loc = self.locate(node)?;
        let start = self.inline_start(node)?;
        let end = self.end_of(node);
        if loc.in_flow || node.flow_style || !self.text[start..end].contains('\n') {
            return Some(self.text[start..end].to_string()).filter(|t| !t.contains('\n'));
        }
        let block = matches!(node.kind, NodeKind::Map(_) | NodeKind::Seq(_));
        if block && self.first_on_line(start) {
            let c = self.col(start);
            let from = self.lead(start, c);
            let to = self.tail(end, c);
            return dedent(&self.text[from..to], c, None);
        }
        if block {
            // `- a: 1\n  b: 2`: the mapping starts after the dash, at its own column.
            let to = self.tail(end, self.col(start));
            return dedent(&self.text[start..to], self.col(start), Some(start));
        }
        // On its parent's line: later lines are dedented by the parent's column.
        let parent_col = match loc.parent {
            Some(p) if p.as_map().is_some() => self.col(p.as_map()?.get(loc.index)?.key.span.start),
            Some(p) => self.col(self.units(p)?.get(loc.index)?.anchor),
            None => 0,
        };
        dedent(&self.text[start..end], parent_col, Some(start))
    }

    fn unit_fragment(&self, coll: &Node, units: &[Unit], i: usize) -> Option<String> {
        let u = units.get(i)?;
        if coll.flow_style {
            let t = &self.text[u.anchor..u.end];
            return (!t.contains('\n')).then(|| t.to_string());
        }
        let c = self.col(u.anchor);
        let end = self.tail(u.end, c);
        if self.first_on_line(u.anchor) {
            dedent(&self.text[self.lead(u.anchor, c)..end], c, None)
        } else {
            dedent(&self.text[u.anchor..end], c, Some(u.anchor))
        }
    }

    // ----- positions ------------------------------------------------------------------

    fn units(&self, coll: &Node) -> Option<Vec<Unit>> {
        match &coll.kind {
            NodeKind::Map(entries) => Some(
                entries
                    .iter()
                    .map(|e| Unit {
                        anchor: e.key.span.start,
                        end: self.end_of(&e.value).max(e.key.span.end),
                    })
                    .collect(),
            ),
            NodeKind::Seq(items) => items
                .iter()
                .map(|item| {
                    let start = self.inline_start(item)?;
                    let anchor = if coll.flow_style {
                        start
                    } else {
                        self.dash_before(start)?
                    };
                    Some(Unit {
                        anchor,
                        end: self.end_of(item).max(start),
                    })
                })
                .collect(),
            _ => None,
        }
    }

    /// Where a node's text starts on its first line: a block scalar's header, a block
    /// sequence's first dash (an indentless sequence's span starts after it), else its span.
    fn inline_start(&self, node: &Node) -> Option<usize> {
        match &node.kind {
            NodeKind::Scalar(s) if is_block(s.style) => self.block_header(node),
            NodeKind::Seq(items)
                if !node.flow_style && !self.text[node.span.start..].starts_with('-') =>
            {
                let first = match items.first() {
                    Some(item) => self.inline_start(item)?,
                    None => node.span.start,
                };
                self.dash_before(first)
            }
            _ => Some(node.span.start),
        }
    }

    /// Where a node's text ends: after its last character, but a block scalar's last line
    /// runs to its end (trailing spaces there are part of the value), and an empty block
    /// scalar ends with its header line.
    fn end_of(&self, node: &Node) -> usize {
        match &node.kind {
            NodeKind::Scalar(s) if is_block(s.style) => {
                let Some(header) = self.block_header(node) else {
                    return content_end(self.text, node);
                };
                let body = &self.text[header..node.span.end.max(header)];
                self.line_end(header + body.trim_end().len())
            }
            _ => content_end(self.text, node),
        }
    }

    /// The `-` of a block sequence item starting at `start`.
    fn dash_before(&self, start: usize) -> Option<usize> {
        let before = self.text[..start].trim_end_matches([' ', '\t']);
        before.ends_with('-').then(|| before.len() - 1)
    }

    /// The `:` after a key.
    fn colon_after(&self, key: &Node) -> Option<usize> {
        let rest = &self.text[key.span.end..];
        let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        rest[skip..].starts_with(':').then(|| key.span.end + skip)
    }

    /// The start of `anchor`'s line, or of the comment lines right above it at column `c`;
    /// `anchor` itself when something precedes it on its line.
    fn lead(&self, anchor: usize, c: usize) -> usize {
        if !self.first_on_line(anchor) {
            return anchor;
        }
        let mut start = self.line_start(anchor);
        while start > 0 {
            let prev = self.line_start(start - 1);
            if self.is_comment_line(prev) && self.indent_at(prev) == c {
                start = prev;
            } else {
                break;
            }
        }
        start
    }

    /// After the line holding `end`, and the comment lines after it indented deeper than `c`.
    fn tail(&self, end: usize, c: usize) -> usize {
        let mut at = self.next_line(end);
        while at < self.text.len() && self.is_comment_line(at) && self.indent_at(at) > c {
            at = self.next_line(at);
        }
        at
    }

    /// The end of the last line with content before `line` (before its end-of-line comment).
    fn previous_content_end(&self, line: usize) -> Option<usize> {
        let mut l = line;
        while l > 0 {
            l = self.line_start(l - 1);
            let end = self.line_end(l);
            if self.text[l..end].trim().is_empty() || self.is_comment_line(l) {
                continue;
            }
            let end = self.eol_comment_on(l, end).unwrap_or(end);
            return Some(l + self.text[l..end].trim_end().len());
        }
        None
    }

    fn eol_comment_on(&self, line: usize, end: usize) -> Option<usize> {
        let i = self.eol_comments.partition_point(|s| s.start < line);
        self.eol_comments
            .get(i)
            .filter(|s| s.start < end)
            .map(|s| s.start)
    }

    fn is_comment_line(&self, line: usize) -> bool {
        let at = line + self.indent_at(line);
        self.own_comments.binary_search(&at).is_ok()
    }

    fn indent_at(&self, line: usize) -> usize {
        self.text[line..].len() - self.text[line..].trim_start_matches([' ', '\t']).len()
    }

    fn first_on_line(&self, at: usize) -> bool {
        self.text[self.line_start(at)..at]
            .bytes()
            .all(|b| b == b' ' || b == b'\t')
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// The end of `at`'s line, before `\r\n`/`\n`.
    fn line_end(&self, at: usize) -> usize {
        let end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        if end > at && self.text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        }
    }

    fn next_line(&self, at: usize) -> usize {
        self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i + 1)
    }

    fn col(&self, at: usize) -> usize {
        at - self.line_start(at)
    }

    /// `fragment` with every line after the first indented by `pad`, in the file's line
    /// ending (blank lines stay empty).
    fn indented(&self, fragment: &str, pad: &str) -> String {
        let mut out = String::with_capacity(fragment.len() + 16);
        for (i, line) in fragment.split('\n').enumerate() {
            if i > 0 {
                out.push_str(self.nl);
                if !line.is_empty() {
                    out.push_str(pad);
                }
            }
            out.push_str(line);
        }
        out
    }

    /// Find `node` in the tree: by identity, else by span.
    fn locate(&self, node: &Node) -> Option<Loc<'a>> {
        let mut current = self.root?;
        let mut loc = Loc {
            parent: None,
            index: 0,
            in_flow: false,
            pointer: String::new(),
        };
        loop {
            if std::ptr::eq(current, node)
                || (current.span == node.span && same_kind(current, node))
            {
                return Some(loc);
            }
            let in_flow = loc.in_flow || current.flow_style;
            // A block scalar's span runs past its parent's (through its final line break).
            let end = content_end(self.text, node);
            let contains = |n: &Node| n.span.start <= node.span.start && end <= n.span.end;
            match &current.kind {
                NodeKind::Map(entries) => {
                    let (i, e) = entries.iter().enumerate().find(|(_, e)| {
                        std::ptr::eq(&e.key, node) || e.key.span == node.span || contains(&e.value)
                    })?;
                    loc = Loc {
                        parent: Some(current),
                        index: i,
                        in_flow,
                        pointer: format!(
                            "{}/{}",
                            loc.pointer,
                            escape_pointer(e.key_str().unwrap_or(""))
                        ),
                    };
                    if std::ptr::eq(&e.key, node) || e.key.span == node.span {
                        return Some(loc);
                    }
                    current = &e.value;
                }
                NodeKind::Seq(items) => {
                    let (i, item) = items.iter().enumerate().find(|(_, n)| contains(n))?;
                    loc = Loc {
                        parent: Some(current),
                        index: i,
                        in_flow,
                        pointer: format!("{}/{i}", loc.pointer),
                    };
                    current = item;
                }
                _ => return None,
            }
        }
    }
}

fn is_block(style: ScalarStyle) -> bool {
    matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
}

fn same_kind(a: &Node, b: &Node) -> bool {
    std::mem::discriminant(&a.kind) == std::mem::discriminant(&b.kind)
}

/// A JSON pointer segment: `~` → `~0`, `/` → `~1`.
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn edit(span: Span, content: String) -> Edit {
    Edit { span, content }
}

fn insert(at: usize, content: String) -> Edit {
    edit(at..at, content)
}

/// Where a node's text ends, without trailing blanks (a block scalar's span runs on).
fn content_end(text: &str, node: &Node) -> usize {
    let mut end = node.span.end.min(text.len());
    while end > node.span.start && text.as_bytes()[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

#[derive(Debug, PartialEq, Eq)]
enum FragmentKind {
    /// A block mapping or sequence: goes on the lines below its key.
    Block,
    /// A scalar or a flow collection: starts on its key's line.
    Inline,
}

fn fragment_kind(fragment: &str) -> Option<FragmentKind> {
    let doc = parse(fragment);
    if doc.syntax_error.is_some() {
        return None;
    }
    let block = doc
        .root
        .as_ref()
        .is_some_and(|r| !r.flow_style && matches!(r.kind, NodeKind::Map(_) | NodeKind::Seq(_)));
    Some(if block {
        FragmentKind::Block
    } else {
        FragmentKind::Inline
    })
}

/// `key: value` as an entry fragment (see the module docs): the key written as [`scalar()`],
/// a block value (`value` is a fragment) on the lines below it, indented by 2. `None` when
/// `value` does not parse. For entries a fix builds (`auth:\n  type: BASIC\n  …`).
pub fn entry(key: &str, value: &str) -> Option<String> {
    entry_fragment_of(&scalar(key), value)
}

/// `key: value` as an entry fragment (a block value on the lines below, indented by 2).
fn entry_fragment_of(key: &str, value: &str) -> Option<String> {
    Some(match fragment_kind(value)? {
        FragmentKind::Block => format!("{key}:\n{}", indent_all(value, 2)),
        FragmentKind::Inline => format!("{key}: {}", indent_rest(value, 2)),
    })
}

fn indent_all(fragment: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    fragment
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Continuation lines of an inline fragment must sit deeper than its key: add `n` columns
/// when one of them is at column 0 (`|\nline`), else keep them as written.
fn indent_rest(fragment: &str, n: usize) -> String {
    let needs = fragment
        .split('\n')
        .skip(1)
        .any(|l| !l.is_empty() && !l.starts_with([' ', '\t']));
    let pad = if needs { " ".repeat(n) } else { String::new() };
    fragment
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            if i == 0 || l.is_empty() {
                l.to_string()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines of `text` with `c` columns of indentation removed (from every line, or from every
/// line after the first when `first_at` says the text starts mid-line), `\r` dropped, and no
/// final line break. `None` when a line with content is indented less than `c`.
fn dedent(text: &str, c: usize, first_at: Option<usize>) -> Option<String> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if i == 0 && first_at.is_some() {
            out.push(line.to_string());
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if line.trim().is_empty() {
            // Spaces past the indentation of a blank line are a block scalar's content.
            out.push(line.get(c..).unwrap_or("").to_string());
        } else if indent < c {
            return None;
        } else {
            out.push(line[c..].to_string());
        }
    }
    Some(out.join("\n"))
}

/// Join edits that touch (a removal ending where an insertion starts) and check that none
/// overlap, which [`crate::fix`] would refuse.
fn merge_adjacent(mut edits: Vec<Edit>) -> Option<Vec<Edit>> {
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    for pair in edits.windows(2) {
        if pair[1].span.start < pair[0].span.end || pair[1].span == pair[0].span {
            return None;
        }
    }
    Some(edits)
}
