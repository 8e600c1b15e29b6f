//! Plain-words descriptions of what a (sub)schema expects, for messages such as
//! "expected an integer or a `{{ … }}` expression, found a string".

use serde_json::Value;

use super::evaluate::is_expression_pattern;
use super::Schema;

const MAX_DEPTH: usize = 16;

/// "an integer", "a duration such as `PT5M`", "one of `A`, `B`", joined with "or".
pub fn expected(schema: &Schema, value: &Value) -> String {
    let mut parts = Vec::new();
    collect(schema, value, &mut parts, 0);
    parts.dedup();
    join_or(&parts)
}

fn collect(schema: &Schema, value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(obj) = value.as_object() else {
        return;
    };
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        if schema.union_members(value).is_some() {
            out.push("a mapping with a `type`".into());
            return;
        }
        if let Some(def) = schema.resolve_ref(r).and_then(|i| schema.definition(i)) {
            collect(schema, def, out, depth + 1);
            return;
        }
    }
    let is_expression = obj
        .get("pattern")
        .and_then(Value::as_str)
        .is_some_and(is_expression_pattern);
    if is_expression {
        out.push("a `{{ … }}` expression".into());
        return;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = obj.get(key).and_then(Value::as_array) {
            for b in branches {
                collect(schema, b, out, depth + 1);
            }
            return;
        }
    }
    if let Some(values) = obj.get("enum").and_then(Value::as_array) {
        out.push(format!("one of {}", list_values(values)));
        return;
    }
    if let Some(c) = obj.get("const") {
        out.push(format!("`{}`", plain(c)));
        return;
    }
    match obj.get("type") {
        Some(Value::String(t)) => out.push(type_phrase(t, obj).to_string()),
        Some(Value::Array(ts)) => {
            for t in ts.iter().filter_map(Value::as_str) {
                out.push(type_phrase(t, obj).to_string());
            }
        }
        _ if obj.contains_key("properties") => out.push("a mapping".into()),
        _ => {}
    }
}

fn type_phrase(t: &str, obj: &serde_json::Map<String, Value>) -> &'static str {
    let format = obj.get("format").and_then(Value::as_str);
    match (t, format) {
        ("string", Some("duration")) => "an ISO-8601 duration such as `PT5M`",
        ("string", Some("date-time")) => "a date-time such as `2024-01-31T10:00:00Z`",
        ("string", _) => "a string",
        ("integer", _) => "an integer",
        ("number", _) => "a number",
        ("boolean", _) => "a boolean (`true` or `false`)",
        ("array", _) => "a list",
        ("object", _) => "a mapping",
        ("null", _) => "null",
        _ => "a value",
    }
}

/// `` `A`, `B` or `C` `` (at most 12 shown).
pub fn list_values(values: &[Value]) -> String {
    let shown: Vec<String> = values
        .iter()
        .take(12)
        .map(|v| format!("`{}`", plain(v)))
        .collect();
    let mut s = join_or(&shown);
    if values.len() > 12 {
        s.push_str(&format!(" (and {} more)", values.len() - 12));
    }
    s
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn join_or(parts: &[String]) -> String {
    match parts {
        [] => "a different value".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
