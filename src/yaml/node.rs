//! The spanned YAML tree: every key, value and item knows its byte range.

use crate::diagnostic::Span;

/// How a scalar was written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// What a scalar resolves to under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalarValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The scalar's text after YAML unescaping and folding.
    pub text: String,
    pub style: ScalarStyle,
    pub value: ScalarValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// `*name`: never expanded (Kestra reads it as the plain text `name`).
    Alias(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// Written in flow style (`[a, b]`, `{a: 1}`) rather than block style.
    pub flow_style: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    /// The key's text; a non-scalar key has none.
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_scalar().map(|s| s.text.as_str())
    }
}

impl Node {
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar that resolved to a string (quoted, block, or plain non-typed).
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) if s.value == ScalarValue::Str => Some(&s.text),
            _ => None,
        }
    }

    /// The text of any scalar, whatever it resolved to (`1`, `true`, `abc`).
    pub fn scalar_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.value == ScalarValue::Null)
    }

    /// The entry for `key` in a mapping (the first one when a key is duplicated: Kestra
    /// rejects duplicates, and the first is usually the one the author meant).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key_str() == Some(key))
    }

    /// The value for `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The string value of `key`, if it is a scalar.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::scalar_text)
    }

    /// A short name of the node's kind for messages ("a string", "a list").
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(s) => match s.value {
                ScalarValue::Null => "null",
                ScalarValue::Bool(_) => "a boolean",
                ScalarValue::Int(_) => "an integer",
                ScalarValue::Float(_) => "a number",
                ScalarValue::Str => "a string",
            },
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
            NodeKind::Alias(_) => "an alias",
        }
    }

    /// Follow an RFC 6901 JSON pointer (`/tasks/0/id`) to a node.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        self.pointer_entry(pointer).map(|(_, node)| node)
    }

    /// Follow a JSON pointer; also return the mapping key node when the last step is a key.
    pub fn pointer_entry(&self, pointer: &str) -> Option<(Option<&Node>, &Node)> {
        if pointer.is_empty() {
            return Some((None, self));
        }
        let mut current = self;
        let mut key_node = None;
        for raw in pointer.strip_prefix('/')?.split('/') {
            let segment = raw.replace("~1", "/").replace("~0", "~");
            match &current.kind {
                NodeKind::Map(_) => {
                    let entry = current.entry(&segment)?;
                    key_node = Some(&entry.key);
                    current = &entry.value;
                }
                NodeKind::Seq(items) => {
                    current = items.get(segment.parse::<usize>().ok()?)?;
                    key_node = None;
                }
                _ => return None,
            }
        }
        Some((key_node, current))
    }

    /// The node as JSON, for the schema validator. Aliases become their name, as Kestra reads them.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Scalar(s) => match s.value {
                ScalarValue::Null => Value::Null,
                ScalarValue::Bool(b) => Value::Bool(b),
                ScalarValue::Int(i) => Value::from(i),
                ScalarValue::Float(f) => serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .unwrap_or_else(|| Value::String(s.text.clone())),
                ScalarValue::Str => Value::String(s.text.clone()),
            },
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                let mut map = serde_json::Map::with_capacity(entries.len());
                for e in entries {
                    let key = e.key_str().unwrap_or("").to_string();
                    map.insert(key, e.value.to_json());
                }
                Value::Object(map)
            }
            NodeKind::Alias(name) => Value::String(name.clone()),
        }
    }
}

/// Resolve a plain scalar with the YAML 1.2 core schema.
pub fn resolve_plain(text: &str) -> ScalarValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarValue::Null,
        "true" | "True" | "TRUE" => return ScalarValue::Bool(true),
        "false" | "False" | "FALSE" => return ScalarValue::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return ScalarValue::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return ScalarValue::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return ScalarValue::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return ScalarValue::Str;
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).map_or(ScalarValue::Str, ScalarValue::Int);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).map_or(ScalarValue::Str, ScalarValue::Int);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<i64>() {
            Ok(i) => ScalarValue::Int(i),
            Err(_) => text
                .parse::<f64>()
                .map_or(ScalarValue::Str, ScalarValue::Float),
        };
    }
    if is_core_float(digits) {
        return text
            .parse::<f64>()
            .map_or(ScalarValue::Str, ScalarValue::Float);
    }
    ScalarValue::Str
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without the sign.
fn is_core_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && !(int.is_empty() && frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}
