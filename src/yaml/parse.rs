//! Builds the spanned tree from granit-parser's events with an explicit stack (no recursion),
//! and records the YAML-level facts the Y rules report: syntax errors, duplicate keys,
//! anchors, aliases, merge keys, extra documents and comments.

use std::collections::HashMap;

use granit_parser::{Event, Options, Parser, Placement, StructureStyle};

use super::node::{resolve_plain, Entry, Node, NodeKind, Scalar, ScalarStyle, ScalarValue};
use crate::diagnostic::Span;

/// A parse failure at a byte offset, with the parser's message in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Span,
    pub again: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentPlacement {
    /// On its own line.
    OwnLine,
    /// At the end of a line with content.
    EndOfLine,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Text after `#`.
    pub text: String,
    pub span: Span,
    pub placement: CommentPlacement,
}

/// A parsed YAML file: the first document's tree plus what the Y rules need.
#[derive(Debug, Default)]
pub struct Document {
    /// `None` for an empty file, or when a syntax error stopped the parse.
    pub root: Option<Node>,
    pub syntax_error: Option<SyntaxError>,
    pub duplicate_keys: Vec<DuplicateKey>,
    /// `&name` definitions: (name, span of `&name`).
    pub anchors: Vec<(String, Span)>,
    /// `*name` uses: (name, span of `*name`).
    pub aliases: Vec<(String, Span)>,
    /// `<<` merge keys.
    pub merge_keys: Vec<Span>,
    /// Starts of documents after the first.
    pub extra_documents: Vec<Span>,
    pub comments: Vec<Comment>,
    /// Values written `key: {{ … }}` without quotes: YAML reads them as a flow mapping (or
    /// fails to parse). Each span runs from the `{` to the end of the value on its line.
    pub unquoted_templates: Vec<Span>,
    /// The syntax error is the one an unquoted template explains (P001), and quoting it makes
    /// the whole document parse: Y001 stays quiet.
    pub syntax_error_explained: bool,
}

enum Frame {
    Seq {
        start: usize,
        flow: bool,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        flow: bool,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
        seen: HashMap<String, Span>,
    },
}

/// Parse YAML text. Never panics and never expands aliases, so alias bombs cost nothing.
pub fn parse(text: &str) -> Document {
    parse_with(text, true)
}

/// A `{{ … }}` value as a double-quoted YAML string (the P001 fix).
pub fn quote_template(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `explain`: on a syntax error, look for an unquoted template that explains it (one more
/// parse of the text with it quoted; never nested, so at most two parses).
fn parse_with(text: &str, explain: bool) -> Document {
    let mut doc = Document::default();
    let mut options = Options::default();
    options.emit_anchor_events = true;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut stack: Vec<Frame> = Vec::new();
    let mut documents = 0usize;
    let mut root: Option<Node> = None;

    for next in parser.by_ref() {
        let (event, span) = match next {
            Ok(pair) => pair,
            Err(err) => {
                let offset = err
                    .marker()
                    .byte_offset()
                    .unwrap_or_else(|| char_to_byte(text, err.marker().index()));
                let offset = offset.min(text.len());
                doc.syntax_error = Some(SyntaxError {
                    message: describe_error(&err.to_string()),
                    offset,
                });
                if !explain {
                    return doc;
                }
                // `key: {{ x }} text` does not parse: find the unquoted value on the error's
                // line or the line before it.
                let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
                let prev_start = text[..line_start.saturating_sub(1)]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                for start in [line_start, prev_start] {
                    let Some(at) = template_value_start(text, start) else {
                        continue;
                    };
                    let span = value_on_line(text, at);
                    // Only when quoting it gets the parser past the error: YAML broken for
                    // another reason is Y001's, and quoting would not fix anything.
                    let quoted = quote_template(&text[span.clone()]);
                    let fixed = format!("{}{quoted}{}", &text[..span.start], &text[span.end..]);
                    let shift = |o: usize| (o + span.len()).saturating_sub(quoted.len());
                    match parse_with(&fixed, false).syntax_error {
                        None => doc.syntax_error_explained = true,
                        Some(later)
                            if later.offset > span.start + quoted.len()
                                && shift(later.offset) > offset =>
                        {
                            // The next error, for Y001, where it is in this text.
                            doc.syntax_error = Some(SyntaxError {
                                offset: shift(later.offset).min(text.len()),
                                ..later
                            });
                        }
                        Some(_) => break,
                    }
                    // The part before the error may already be recorded as a mapping.
                    doc.unquoted_templates.retain(|s| s.start != span.start);
                    doc.unquoted_templates.push(span);
                    break;
                }
                return doc;
            }
        };
        let range = span.byte_range().unwrap_or_else(|| {
            char_to_byte(text, span.start.index())..char_to_byte(text, span.end.index())
        });
        match event {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    doc.extra_documents.push(range);
                    // Kestra reads one flow per file; the rest is not linted.
                    break;
                }
            }
            Event::Comment(body, placement) => doc.comments.push(Comment {
                text: body.into_owned(),
                span: range,
                placement: match placement {
                    Placement::Right => CommentPlacement::EndOfLine,
                    _ => CommentPlacement::OwnLine,
                },
            }),
            Event::Anchor(_, name) => doc.anchors.push((name.into_owned(), range)),
            Event::Alias(_) | Event::UnresolvedAlias(_) => {
                let name = text
                    .get(range.clone())
                    .unwrap_or("")
                    .trim_start_matches('*')
                    .to_string();
                doc.aliases.push((name.clone(), range.clone()));
                let node = Node {
                    kind: NodeKind::Alias(name),
                    span: range,
                    flow_style: false,
                };
                add_node(&mut stack, &mut root, node, &mut doc);
            }
            Event::Scalar(value, style, _anchor, tag) => {
                let style = convert_style(style);
                let is_str_tag = tag
                    .as_ref()
                    .is_some_and(|t| t.is_yaml_core_schema_tag("str"));
                let resolved = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&value)
                } else {
                    ScalarValue::Str
                };
                let node = Node {
                    kind: NodeKind::Scalar(Scalar {
                        text: value.into_owned(),
                        style,
                        value: resolved,
                    }),
                    span: range,
                    flow_style: false,
                };
                add_node(&mut stack, &mut root, node, &mut doc);
            }
            Event::SequenceStart(style, ..) => stack.push(Frame::Seq {
                start: range.start,
                flow: style == StructureStyle::Flow,
                items: Vec::new(),
            }),
            Event::MappingStart(style, ..) => stack.push(Frame::Map {
                start: range.start,
                flow: style == StructureStyle::Flow,
                entries: Vec::new(),
                pending_key: None,
                seen: HashMap::new(),
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else { continue };
                let node = finish(frame, range.end, text);
                let nested = matches!(stack.last(), Some(Frame::Map { flow: true, .. }));
                if node.flow_style && !nested && starts_template(text, node.span.start) {
                    // An item of a flow list (`[{{ a }}, b]`) ends where its mapping does; a
                    // block value runs to the end of its line.
                    let span = match stack.last() {
                        Some(Frame::Seq { flow: true, .. }) => node.span.clone(),
                        _ => value_on_line(text, node.span.start),
                    };
                    doc.unquoted_templates.push(span);
                }
                add_node(&mut stack, &mut root, node, &mut doc);
            }
            _ => {}
        }
    }
    doc.root = root;
    doc
}

fn starts_template(text: &str, at: usize) -> bool {
    text.get(at..)
        .is_some_and(|r| r.starts_with("{{") || r.starts_with("{%"))
}

/// On the line starting at `line_start`, the offset of a value that begins with `{{`/`{%`
/// right after `key:` or `- `.
fn template_value_start(text: &str, line_start: usize) -> Option<usize> {
    let line = text[line_start..].split('\n').next()?;
    let mut rest = line.trim_start();
    let mut at = line_start + (line.len() - rest.len());
    if let Some(r) = rest.strip_prefix("- ") {
        at += rest.len() - r.trim_start().len();
        rest = r.trim_start();
    }
    if !starts_template(rest, 0) {
        let colon = rest.find(": ")?;
        let key = &rest[..colon];
        if key.is_empty() || key.contains(['{', '"', '\'', '#']) {
            return None;
        }
        let value = rest[colon + 1..].trim_start();
        at += rest.len() - value.len();
        rest = value;
    }
    starts_template(rest, 0).then_some(at)
}

/// From `at` to the end of its line, without a trailing ` # comment` or spaces.
fn value_on_line(text: &str, at: usize) -> Span {
    let line = text[at..].split(['\n', '\r']).next().unwrap_or("");
    let mut end = line.len();
    // A comment starts at ` #` outside the expression's closing braces.
    if let Some(close) = line.rfind("}}").or_else(|| line.rfind("%}")) {
        if let Some(hash) = line[close..].find(" #") {
            end = close + hash;
        }
    }
    let value = line[..end].trim_end();
    at..at + value.len()
}

fn finish(frame: Frame, end: usize, text: &str) -> Node {
    let (start, flow, kind, last_child_end) = match frame {
        Frame::Seq { start, flow, items } => {
            let last = items.last().map(|n| n.span.end);
            (start, flow, NodeKind::Seq(items), last)
        }
        Frame::Map {
            start,
            flow,
            mut entries,
            pending_key,
            ..
        } => {
            // A key with no value event cannot happen in valid YAML, but be safe.
            if let Some(key) = pending_key {
                let at = key.span.end;
                entries.push(Entry {
                    key,
                    value: null_at(at),
                });
            }
            let last = entries.last().map(|e| e.value.span.end.max(e.key.span.end));
            (start, flow, NodeKind::Map(entries), last)
        }
    };
    // Block collections end where their last child ends (not at the next line's indentation).
    let mut end = if flow {
        end
    } else {
        last_child_end.unwrap_or(end).max(start)
    };
    end = end.min(text.len()).max(start);
    while end > start && text.as_bytes()[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    Node {
        kind,
        span: start..end,
        flow_style: flow,
    }
}

fn null_at(at: usize) -> Node {
    Node {
        kind: NodeKind::Scalar(Scalar {
            text: String::new(),
            style: ScalarStyle::Plain,
            value: ScalarValue::Null,
        }),
        span: at..at,
        flow_style: false,
    }
}

fn add_node(stack: &mut [Frame], root: &mut Option<Node>, node: Node, doc: &mut Document) {
    match stack.last_mut() {
        None => {
            if root.is_none() {
                *root = Some(node);
            }
        }
        Some(Frame::Seq { items, .. }) => items.push(node),
        Some(Frame::Map {
            entries,
            pending_key,
            seen,
            ..
        }) => match pending_key.take() {
            None => {
                if let Some(key) = node.as_scalar().map(|s| s.text.clone()) {
                    if key == "<<"
                        && node
                            .as_scalar()
                            .is_some_and(|s| s.style == ScalarStyle::Plain)
                    {
                        doc.merge_keys.push(node.span.clone());
                    }
                    if let Some(first) = seen.get(&key) {
                        doc.duplicate_keys.push(DuplicateKey {
                            key,
                            first: first.clone(),
                            again: node.span.clone(),
                        });
                    } else {
                        seen.insert(key, node.span.clone());
                    }
                }
                *pending_key = Some(node);
            }
            Some(key) => {
                // An empty value (`key:`) arrives as an empty plain scalar at the key's end.
                entries.push(Entry { key, value: node });
            }
        },
    }
}

fn convert_style(style: granit_parser::ScalarStyle) -> ScalarStyle {
    use granit_parser::ScalarStyle as G;
    match style {
        G::SingleQuoted => ScalarStyle::SingleQuoted,
        G::DoubleQuoted => ScalarStyle::DoubleQuoted,
        G::Literal => ScalarStyle::Literal,
        G::Folded => ScalarStyle::Folded,
        _ => ScalarStyle::Plain,
    }
}

fn char_to_byte(text: &str, char_index: usize) -> usize {
    text.char_indices()
        .nth(char_index)
        .map_or(text.len(), |(i, _)| i)
}

/// The parser's message without its trailing position (we print our own), first letter lower.
fn describe_error(raw: &str) -> String {
    let message = match [" at char ", " at byte ", " at line "]
        .iter()
        .filter_map(|m| raw.find(m))
        .min()
    {
        Some(i) => &raw[..i],
        None => raw,
    };
    let message = message.trim().trim_end_matches(':');
    if message.is_empty() {
        "invalid YAML".to_string()
    } else {
        message.to_string()
    }
}
