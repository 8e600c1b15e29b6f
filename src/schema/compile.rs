//! Turns one definition into a small standalone schema and compiles it:
//! - polymorphic unions (task, trigger, condition… lists) become `{"type": "object"}` stubs:
//!   the linter dispatches each item on its `type` itself;
//! - a `$dynamic` property also accepts a string holding `{{ … }}` or `{% … %}`;
//! - Kestra's `.*{{.*}}.*` expression pattern (not a valid regex) becomes a search for `{{`;
//!   other patterns get Java's full-match semantics, and one our regex engine cannot compile
//!   is dropped rather than failing the whole definition;
//! - `format` is not asserted (Java's parsers and JSON Schema's formats disagree).

use std::collections::{HashSet, VecDeque};

use serde_json::{json, Map, Value};

use super::Schema;

/// Marks the branch we add (or recognise) for "a `{{ … }}` expression".
pub const EXPRESSION_MARK: &str = "x-kestra-lint-expression";

pub struct Compiled {
    pub validator: jsonschema::Validator,
}

const MAX_DEPTH: usize = 64;

pub fn compile(schema: &Schema, index: usize) -> Option<Compiled> {
    let mut definitions = Map::new();
    let mut queue = VecDeque::from([index]);
    let mut seen = HashSet::from([index]);
    while let Some(i) = queue.pop_front() {
        let def = schema.definition(i)?;
        let mut refs = Vec::new();
        let transformed = transform(schema, def, &mut refs, 0);
        definitions.insert(schema.key(i).to_string(), transformed);
        for r in refs {
            if seen.insert(r) {
                queue.push_back(r);
            }
        }
    }
    let document = json!({
        "$ref": format!("#/definitions/{}", escape_pointer(schema.key(index))),
        "definitions": Value::Object(definitions),
    });
    // One regex per distinct pattern for the process: with a thousand plugin types, the same
    // id and expression patterns would otherwise be compiled (and cached) once per definition.
    static PATTERNS: std::sync::OnceLock<jsonschema::PatternCache> = std::sync::OnceLock::new();
    let validator = jsonschema::draft7::options()
        .should_validate_formats(false)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .with_pattern_cache(PATTERNS.get_or_init(jsonschema::PatternCache::new).clone())
        .build(&document)
        .ok()?;
    Some(Compiled { validator })
}

fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

pub fn expression_branch() -> Value {
    json!({"type": "string", "pattern": "\\{\\{|\\{%", EXPRESSION_MARK: true})
}

/// Kestra's marker pattern for "a string with an expression".
pub fn is_expression_pattern(p: &str) -> bool {
    p.contains("{{")
}

fn is_plain_string(value: &Value) -> bool {
    value.as_object().is_some_and(|o| {
        o.get("type").and_then(Value::as_str) == Some("string")
            && !["enum", "pattern", "const", "format"]
                .iter()
                .any(|k| o.contains_key(*k))
    })
}

/// Does this (sub)schema already accept an expression string?
fn accepts_expression(value: &Value) -> bool {
    let Some(obj) = value.as_object() else {
        return true;
    };
    let plain_string = obj.get("type").and_then(Value::as_str) == Some("string")
        && !obj.contains_key("enum")
        && !obj.contains_key("pattern")
        && !obj.contains_key("const");
    let no_constraint = !obj.contains_key("type")
        && !obj.contains_key("$ref")
        && !obj.contains_key("anyOf")
        && !obj.contains_key("oneOf")
        && !obj.contains_key("enum")
        && !obj.contains_key("const");
    let has_branch = ["anyOf", "oneOf"].iter().any(|k| {
        obj.get(*k).and_then(Value::as_array).is_some_and(|bs| {
            bs.iter().any(|b| {
                b.get("pattern")
                    .and_then(Value::as_str)
                    .is_some_and(is_expression_pattern)
            })
        })
    });
    plain_string || no_constraint || has_branch
}

fn transform(schema: &Schema, value: &Value, refs: &mut Vec<usize>, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return json!({});
    }
    let Some(obj) = value.as_object() else {
        return match value {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|v| transform(schema, v, refs, depth + 1))
                    .collect(),
            ),
            other => other.clone(),
        };
    };
    if schema.union_members(value).is_some() {
        return json!({"type": "object"});
    }
    let mut out = Map::with_capacity(obj.len());
    for (key, v) in obj {
        match key.as_str() {
            "format" | "markdownDescription" | "description" | "title" | "$examples" => {}
            "pattern" => {
                if let Some(p) = v.as_str().and_then(sanitize_pattern) {
                    out.insert(key.clone(), Value::String(p));
                }
                if v.as_str().is_some_and(is_expression_pattern) {
                    out.insert(EXPRESSION_MARK.to_string(), Value::Bool(true));
                }
            }
            "$ref" => {
                if let Some(i) = v.as_str().and_then(|r| schema.resolve_ref(r)) {
                    refs.push(i);
                    out.insert(key.clone(), v.clone());
                }
            }
            "properties" => {
                let mut props = Map::new();
                for (name, prop) in v.as_object().into_iter().flatten() {
                    let mut t = transform(schema, prop, refs, depth + 1);
                    let dynamic = prop.get("$dynamic").and_then(Value::as_bool) == Some(true);
                    if dynamic && is_plain_string(prop) {
                        // Kestra stores a dynamic string as text and renders it later: any
                        // YAML value is saved (a mapping becomes its JSON text).
                        t = json!({});
                    } else if dynamic && !accepts_expression(prop) {
                        // An expression string is accepted; anything else must fit the type,
                        // so its errors stay precise (not one "no branch matched"). The type
                        // is written once: nested dynamic properties would otherwise double
                        // the compiled size at each level.
                        t = json!({
                            "if": expression_branch(),
                            "then": true,
                            "else": t,
                        });
                    }
                    props.insert(name.clone(), t);
                }
                out.insert(key.clone(), Value::Object(props));
            }
            _ => {
                out.insert(key.clone(), transform(schema, v, refs, depth + 1));
            }
        }
    }
    Value::Object(out)
}

/// A pattern our engine can run with Java's full-match meaning, or `None` to drop it.
fn sanitize_pattern(pattern: &str) -> Option<String> {
    if is_expression_pattern(pattern) {
        return Some("\\{\\{|\\{%".to_string());
    }
    let anchored = format!("^(?:{pattern})$");
    // A parse (no automaton) is enough to know the engine will accept it.
    regex_syntax::Parser::new()
        .parse(&anchored)
        .ok()
        .map(|_| anchored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(
            sanitize_pattern(".*{{.*}}.*").as_deref(),
            Some("\\{\\{|\\{%")
        );
        assert_eq!(
            sanitize_pattern("^[a-z]+$").as_deref(),
            Some("^(?:^[a-z]+$)$")
        );
        // Java-only syntax (lookahead) is dropped rather than failing.
        assert_eq!(sanitize_pattern("(?=a)b"), None);
    }

    #[test]
    fn expression_acceptance() {
        assert!(accepts_expression(&json!({"type": "string"})));
        assert!(!accepts_expression(&json!({"type": "integer"})));
        assert!(!accepts_expression(
            &json!({"type": "string", "enum": ["A"]})
        ));
        assert!(accepts_expression(
            &json!({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": ".*{{.*}}.*"}]})
        ));
    }
}
