//! Evaluates a value against one definition by reading the definition's parsed JSON keyword by
//! keyword; nothing is compiled. With a thousand plugin types in a run, compiling a validator
//! per type was most of a run's time, and most of each compiled validator was never used.
//!
//! The reading is Kestra's, not plain JSON Schema's:
//! - a polymorphic union (task, trigger, condition… lists) only asks for a mapping: the
//!   linter dispatches each item on its `type` itself;
//! - a `$dynamic` property also accepts a string holding `{{ … }}` or `{% … %}`, and a dynamic
//!   plain string accepts any value (Kestra stores it as text and renders it later);
//! - Kestra's `.*{{.*}}.*` expression pattern (not a valid regex) is a search for `{{`; other
//!   patterns get Java's full-match meaning, and one the regex engine cannot compile is skipped;
//! - `format` is not asserted (Java's parsers and JSON Schema's formats disagree);
//! - `additionalProperties: false` is not reported here: the walk in `validate` reports each
//!   unknown key at its own span.
//!
//! Otherwise draft 7: a `$ref` stands alone (its siblings are ignored), `anyOf`/`oneOf`/`not`
//! report one violation at the value, `allOf` and `if`/`then`/`else` report their branches'.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use serde_json::{Map, Value};

use super::Schema;

/// One thing wrong with the value, at a JSON pointer relative to the evaluated value.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub path: String,
    pub kind: ViolationKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ViolationKind {
    Required {
        property: String,
    },
    /// JSON type names (`string`, `integer`, `array`…), as the schema lists them.
    Type {
        expected: Vec<&'static str>,
    },
    Enum {
        options: Value,
    },
    Constant {
        expected: Value,
    },
    /// No `anyOf` branch matches.
    AnyOf,
    /// No `oneOf` branch matches.
    OneOfNone,
    /// More than one `oneOf` branch matches.
    OneOfMany,
    Not,
    /// The `false` schema: nothing is allowed.
    Nothing,
    Pattern {
        pattern: String,
    },
    Minimum {
        limit: Value,
    },
    Maximum {
        limit: Value,
    },
    ExclusiveMinimum {
        limit: Value,
    },
    ExclusiveMaximum {
        limit: Value,
    },
    MultipleOf {
        factor: Value,
    },
    MinLength {
        limit: u64,
    },
    MaxLength {
        limit: u64,
    },
    MinItems {
        limit: u64,
    },
    MaxItems {
        limit: u64,
    },
    UniqueItems,
    Contains,
    MinProperties {
        limit: u64,
    },
    MaxProperties {
        limit: u64,
    },
    PropertyName {
        name: String,
    },
}

/// The marker of Kestra's "a string with an expression" pattern (`.*{{.*}}.*`).
pub fn is_expression_pattern(p: &str) -> bool {
    p.contains("{{")
}

/// Evaluate `instance` against definition `index` of `schema`; violations in document order.
pub fn evaluate(schema: &Schema, index: usize, instance: &Value) -> Vec<Violation> {
    let Some(definition) = schema.definition(index) else {
        return Vec::new();
    };
    let mut evaluator = Evaluator {
        schema,
        path: Vec::new(),
        out: Vec::new(),
    };
    evaluator.eval(definition, instance, true, 0);
    evaluator.out
}

/// Deeper than this (a `$ref` cycle that consumes no input, say) is accepted unread.
const MAX_DEPTH: usize = 128;

enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

struct Evaluator<'s, 'v> {
    schema: &'s Schema,
    /// Where the value being evaluated sits; rendered only for a violation.
    path: Vec<Segment<'v>>,
    out: Vec<Violation>,
}

/// The keywords of one schema object, gathered in one pass over its entries (no hashing).
#[derive(Default)]
struct Keywords<'s> {
    reference: Option<&'s str>,
    types: Option<&'s Value>,
    enumeration: Option<&'s Vec<Value>>,
    constant: Option<&'s Value>,
    required: Option<&'s Vec<Value>>,
    properties: Option<&'s Map<String, Value>>,
    pattern_properties: Option<&'s Map<String, Value>>,
    additional_properties: Option<&'s Value>,
    property_names: Option<&'s Value>,
    dependencies: Option<&'s Map<String, Value>>,
    items: Option<&'s Value>,
    additional_items: Option<&'s Value>,
    contains: Option<&'s Value>,
    any_of: Option<&'s Vec<Value>>,
    one_of: Option<&'s Vec<Value>>,
    all_of: Option<&'s Vec<Value>>,
    not: Option<&'s Value>,
    condition: Option<&'s Value>,
    then: Option<&'s Value>,
    otherwise: Option<&'s Value>,
    pattern: Option<&'s str>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
    minimum: Option<&'s Value>,
    maximum: Option<&'s Value>,
    exclusive_minimum: Option<&'s Value>,
    exclusive_maximum: Option<&'s Value>,
    multiple_of: Option<&'s Value>,
    unique_items: bool,
}

impl<'s> Keywords<'s> {
    fn read(obj: &'s Map<String, Value>) -> Self {
        let mut k = Keywords::default();
        for (key, v) in obj {
            match key.as_str() {
                "$ref" => k.reference = v.as_str(),
                "type" => k.types = Some(v),
                "enum" => k.enumeration = v.as_array(),
                "const" => k.constant = Some(v),
                "required" => k.required = v.as_array(),
                "properties" => k.properties = v.as_object(),
                "patternProperties" => k.pattern_properties = v.as_object(),
                "additionalProperties" => k.additional_properties = Some(v),
                "propertyNames" => k.property_names = Some(v),
                "dependencies" => k.dependencies = v.as_object(),
                "items" => k.items = Some(v),
                "additionalItems" => k.additional_items = Some(v),
                "contains" => k.contains = Some(v),
                "anyOf" => k.any_of = v.as_array(),
                "oneOf" => k.one_of = v.as_array(),
                "allOf" => k.all_of = v.as_array(),
                "not" => k.not = Some(v),
                "if" => k.condition = Some(v),
                "then" => k.then = Some(v),
                "else" => k.otherwise = Some(v),
                "pattern" => k.pattern = v.as_str(),
                "minLength" => k.min_length = v.as_u64(),
                "maxLength" => k.max_length = v.as_u64(),
                "minItems" => k.min_items = v.as_u64(),
                "maxItems" => k.max_items = v.as_u64(),
                "minProperties" => k.min_properties = v.as_u64(),
                "maxProperties" => k.max_properties = v.as_u64(),
                "minimum" => k.minimum = v.is_number().then_some(v),
                "maximum" => k.maximum = v.is_number().then_some(v),
                "exclusiveMinimum" => k.exclusive_minimum = v.is_number().then_some(v),
                "exclusiveMaximum" => k.exclusive_maximum = v.is_number().then_some(v),
                "multipleOf" => k.multiple_of = v.is_number().then_some(v),
                "uniqueItems" => k.unique_items = v == &Value::Bool(true),
                _ => {}
            }
        }
        k
    }
}

/// How a property's `$dynamic` widens what it accepts.
enum Dynamic {
    /// Not dynamic, or its schema already accepts an expression string.
    No,
    /// A dynamic plain string: Kestra saves any YAML value (a mapping becomes its JSON text).
    AnyValue,
    /// An expression string, or else a value of the declared type (whose errors stay precise).
    ExpressionOr,
}

/// What a count limit counts.
#[derive(Clone, Copy)]
enum Counted {
    Characters,
    Items,
    Properties,
}

impl Counted {
    fn below(self, limit: u64) -> ViolationKind {
        match self {
            Counted::Characters => ViolationKind::MinLength { limit },
            Counted::Items => ViolationKind::MinItems { limit },
            Counted::Properties => ViolationKind::MinProperties { limit },
        }
    }

    fn above(self, limit: u64) -> ViolationKind {
        match self {
            Counted::Characters => ViolationKind::MaxLength { limit },
            Counted::Items => ViolationKind::MaxItems { limit },
            Counted::Properties => ViolationKind::MaxProperties { limit },
        }
    }
}

fn dynamic_mode(prop: &Value) -> Dynamic {
    let Some(obj) = prop.as_object() else {
        return Dynamic::No;
    };
    let (mut dynamic, mut string, mut typed) = (false, false, false);
    let (mut enumerated, mut patterned, mut constant, mut formatted) = (false, false, false, false);
    let (mut reference, mut branches, mut expression_branch) = (false, false, false);
    for (key, v) in obj {
        match key.as_str() {
            "$dynamic" => dynamic = v == &Value::Bool(true),
            "type" => {
                typed = true;
                string = v == "string";
            }
            "enum" => enumerated = true,
            "pattern" => patterned = true,
            "const" => constant = true,
            "format" => formatted = true,
            "$ref" => reference = true,
            "anyOf" | "oneOf" => {
                branches = true;
                expression_branch |= v.as_array().is_some_and(|bs| {
                    bs.iter().any(|b| {
                        b.get("pattern")
                            .and_then(Value::as_str)
                            .is_some_and(is_expression_pattern)
                    })
                });
            }
            _ => {}
        }
    }
    if !dynamic {
        return Dynamic::No;
    }
    if string && !enumerated && !patterned && !constant && !formatted {
        return Dynamic::AnyValue;
    }
    let accepts_expression = (string && !enumerated && !patterned && !constant)
        || (!typed && !reference && !branches && !enumerated && !constant)
        || expression_branch;
    if accepts_expression {
        Dynamic::No
    } else {
        Dynamic::ExpressionOr
    }
}

fn is_expression(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.contains("{{") || s.contains("{%"))
}

/// Fail `$cond`: record `$kind` (when collecting), or stop at the first failure (when only
/// asking whether the value is valid).
macro_rules! require {
    ($self:ident, $ok:ident, $collect:ident, $cond:expr, $kind:expr) => {
        let holds: bool = $cond;
        if !holds {
            $ok = false;
            if !$collect {
                return false;
            }
            let kind = $kind;
            $self.push(kind);
        }
    };
}

/// Evaluate a nested schema and fold its result into `$ok`.
macro_rules! nested {
    ($ok:ident, $collect:ident, $eval:expr) => {
        if !$eval {
            $ok = false;
            if !$collect {
                return false;
            }
        }
    };
}

impl<'s, 'v> Evaluator<'s, 'v> {
    fn push(&mut self, kind: ViolationKind) {
        let mut path = String::new();
        for segment in &self.path {
            path.push('/');
            match segment {
                Segment::Key(k) => path.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Segment::Index(i) => path.push_str(&i.to_string()),
            }
        }
        self.out.push(Violation { path, kind });
    }

    /// Is `instance` valid against `schema`? With `collect`, every violation is recorded;
    /// without, evaluation stops at the first.
    fn eval(
        &mut self,
        schema: &'s Value,
        instance: &'v Value,
        collect: bool,
        depth: usize,
    ) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let obj = match schema {
            Value::Object(obj) => obj,
            Value::Bool(false) => {
                let mut ok = true;
                require!(self, ok, collect, false, ViolationKind::Nothing);
                return ok;
            }
            _ => return true,
        };
        let k = Keywords::read(obj);
        if (k.reference.is_some() || k.any_of.is_some() || k.one_of.is_some())
            && self.schema.union_members(schema).is_some()
        {
            let mut ok = true;
            require!(
                self,
                ok,
                collect,
                instance.is_object(),
                ViolationKind::Type {
                    expected: vec!["object"]
                }
            );
            return ok;
        }
        if let Some(target) = k
            .reference
            .and_then(|r| self.schema.resolve_ref(r))
            .and_then(|i| self.schema.definition(i))
        {
            return self.eval(target, instance, collect, depth + 1);
        }
        let mut ok = true;
        if let Some(types) = k.types {
            require!(
                self,
                ok,
                collect,
                type_matches(types, instance),
                ViolationKind::Type {
                    expected: type_names(types)
                }
            );
        }
        if let Some(options) = k.enumeration {
            require!(
                self,
                ok,
                collect,
                options.iter().any(|o| json_equal(o, instance)),
                ViolationKind::Enum {
                    options: Value::Array(options.clone())
                }
            );
        }
        if let Some(expected) = k.constant {
            require!(
                self,
                ok,
                collect,
                json_equal(expected, instance),
                ViolationKind::Constant {
                    expected: expected.clone()
                }
            );
        }
        match instance {
            Value::String(text) => {
                nested!(ok, collect, self.eval_string(&k, text, collect));
            }
            Value::Number(_) => {
                nested!(ok, collect, self.eval_number(&k, instance, collect));
            }
            Value::Array(items) => {
                nested!(ok, collect, self.eval_array(&k, items, collect, depth));
            }
            Value::Object(_) => {
                nested!(ok, collect, self.eval_object(&k, instance, collect, depth));
            }
            _ => {}
        }
        nested!(
            ok,
            collect,
            self.eval_combinators(&k, instance, collect, depth)
        );
        ok
    }

    fn eval_combinators(
        &mut self,
        k: &Keywords<'s>,
        instance: &'v Value,
        collect: bool,
        depth: usize,
    ) -> bool {
        let mut ok = true;
        for branch in k.all_of.into_iter().flatten() {
            nested!(ok, collect, self.eval(branch, instance, collect, depth + 1));
        }
        if let Some(branches) = k.any_of {
            let any = branches
                .iter()
                .any(|b| self.eval(b, instance, false, depth + 1));
            require!(self, ok, collect, any, ViolationKind::AnyOf);
        }
        if let Some(branches) = k.one_of {
            let mut valid = 0;
            for b in branches {
                if self.eval(b, instance, false, depth + 1) {
                    valid += 1;
                    if valid > 1 {
                        break;
                    }
                }
            }
            require!(self, ok, collect, valid != 0, ViolationKind::OneOfNone);
            require!(self, ok, collect, valid <= 1, ViolationKind::OneOfMany);
        }
        if let Some(not) = k.not {
            let matched = self.eval(not, instance, false, depth + 1);
            require!(self, ok, collect, !matched, ViolationKind::Not);
        }
        if let Some(condition) = k.condition {
            let branch = if self.eval(condition, instance, false, depth + 1) {
                k.then
            } else {
                k.otherwise
            };
            if let Some(branch) = branch {
                nested!(ok, collect, self.eval(branch, instance, collect, depth + 1));
            }
        }
        ok
    }

    /// `minLength`/`maxLength`, `minItems`/`maxItems`, `minProperties`/`maxProperties`.
    fn eval_count(
        &mut self,
        count: usize,
        min: Option<u64>,
        max: Option<u64>,
        counted: Counted,
        collect: bool,
    ) -> bool {
        let mut ok = true;
        let count = count as u64;
        if let Some(limit) = min {
            require!(self, ok, collect, count >= limit, counted.below(limit));
        }
        if let Some(limit) = max {
            require!(self, ok, collect, count <= limit, counted.above(limit));
        }
        ok
    }

    fn eval_string(&mut self, k: &Keywords<'s>, text: &str, collect: bool) -> bool {
        let mut ok = true;
        if k.min_length.is_some() || k.max_length.is_some() {
            let length = text.chars().count();
            nested!(
                ok,
                collect,
                self.eval_count(
                    length,
                    k.min_length,
                    k.max_length,
                    Counted::Characters,
                    collect
                )
            );
        }
        if let Some(pattern) = k.pattern {
            let matches = if is_expression_pattern(pattern) {
                text.contains("{{") || text.contains("{%")
            } else {
                regex(pattern, Match::Full).is_none_or(|re| re.is_match(text))
            };
            require!(
                self,
                ok,
                collect,
                matches,
                ViolationKind::Pattern {
                    pattern: pattern.to_string()
                }
            );
        }
        ok
    }

    fn eval_number(&mut self, k: &Keywords<'s>, instance: &Value, collect: bool) -> bool {
        let mut ok = true;
        let x = instance.as_f64().unwrap_or(0.0);
        let limit = |v: &Value| v.as_f64().unwrap_or(0.0);
        type Bound<'a> = (
            Option<&'a Value>,
            fn(f64, f64) -> bool,
            fn(Value) -> ViolationKind,
        );
        let bounds: [Bound; 4] = [
            (
                k.minimum,
                |x, l| x >= l,
                |limit| ViolationKind::Minimum { limit },
            ),
            (
                k.maximum,
                |x, l| x <= l,
                |limit| ViolationKind::Maximum { limit },
            ),
            (
                k.exclusive_minimum,
                |x, l| x > l,
                |limit| ViolationKind::ExclusiveMinimum { limit },
            ),
            (
                k.exclusive_maximum,
                |x, l| x < l,
                |limit| ViolationKind::ExclusiveMaximum { limit },
            ),
        ];
        for (bound, holds, kind) in bounds {
            if let Some(m) = bound {
                require!(self, ok, collect, holds(x, limit(m)), kind(m.clone()));
            }
        }
        if let Some(m) = k.multiple_of {
            let multiple = match (instance.as_i64(), m.as_i64()) {
                (Some(a), Some(b)) if b != 0 => a % b == 0,
                _ => {
                    let q = x / limit(m);
                    q.is_finite() && q.fract() == 0.0
                }
            };
            require!(
                self,
                ok,
                collect,
                multiple,
                ViolationKind::MultipleOf { factor: m.clone() }
            );
        }
        ok
    }

    fn eval_array(
        &mut self,
        k: &Keywords<'s>,
        items: &'v [Value],
        collect: bool,
        depth: usize,
    ) -> bool {
        let mut ok = true;
        nested!(
            ok,
            collect,
            self.eval_count(
                items.len(),
                k.min_items,
                k.max_items,
                Counted::Items,
                collect
            )
        );
        if k.unique_items {
            require!(
                self,
                ok,
                collect,
                all_unique(items),
                ViolationKind::UniqueItems
            );
        }
        if let Some(items_schema) = k.items {
            for (i, item) in items.iter().enumerate() {
                // `items` as a list is a tuple: position by position, then `additionalItems`.
                let schema = match items_schema {
                    Value::Array(tuple) => tuple.get(i).or(k.additional_items),
                    one => Some(one),
                };
                let Some(schema) = schema else { break };
                self.path.push(Segment::Index(i));
                let valid = self.eval(schema, item, collect, depth + 1);
                self.path.pop();
                nested!(ok, collect, valid);
            }
        }
        if let Some(contains) = k.contains {
            let any = items
                .iter()
                .any(|item| self.eval(contains, item, false, depth + 1));
            require!(self, ok, collect, any, ViolationKind::Contains);
        }
        ok
    }

    fn eval_object(
        &mut self,
        k: &Keywords<'s>,
        instance: &'v Value,
        collect: bool,
        depth: usize,
    ) -> bool {
        let Some(entries) = instance.as_object() else {
            return true;
        };
        let mut ok = true;
        if let Some(required) = k.required {
            nested!(ok, collect, self.eval_required(entries, required, collect));
        }
        nested!(
            ok,
            collect,
            self.eval_count(
                entries.len(),
                k.min_properties,
                k.max_properties,
                Counted::Properties,
                collect
            )
        );
        for (key, value) in entries {
            self.path.push(Segment::Key(key));
            let valid = self.eval_entry(k, key, value, collect, depth);
            self.path.pop();
            nested!(ok, collect, valid);
        }
        if let Some(dependencies) = k.dependencies {
            for (trigger, dependency) in dependencies {
                if !entries.contains_key(trigger) {
                    continue;
                }
                match dependency {
                    Value::Array(names) => {
                        nested!(ok, collect, self.eval_required(entries, names, collect));
                    }
                    schema => {
                        nested!(ok, collect, self.eval(schema, instance, collect, depth + 1));
                    }
                }
            }
        }
        ok
    }

    fn eval_required(
        &mut self,
        entries: &Map<String, Value>,
        names: &[Value],
        collect: bool,
    ) -> bool {
        let mut ok = true;
        for name in names.iter().filter_map(Value::as_str) {
            require!(
                self,
                ok,
                collect,
                entries.contains_key(name),
                ViolationKind::Required {
                    property: name.to_string()
                }
            );
        }
        ok
    }

    /// One entry of an object: its property schema, the pattern properties its key matches,
    /// else `additionalProperties`; and `propertyNames` on the key.
    fn eval_entry(
        &mut self,
        k: &Keywords<'s>,
        key: &'v str,
        value: &'v Value,
        collect: bool,
        depth: usize,
    ) -> bool {
        let mut ok = true;
        if let Some(names) = k.property_names {
            let key_value = Value::String(key.to_string());
            let valid = self.eval_detached(names, &key_value, depth);
            require!(
                self,
                ok,
                collect,
                valid,
                ViolationKind::PropertyName {
                    name: key.to_string()
                }
            );
        }
        let mut matched = false;
        if let Some(property) = k.properties.and_then(|p| p.get(key)) {
            matched = true;
            let valid = match dynamic_mode(property) {
                Dynamic::AnyValue => true,
                Dynamic::ExpressionOr if is_expression(value) => true,
                _ => self.eval(property, value, collect, depth + 1),
            };
            nested!(ok, collect, valid);
        }
        for (pattern, schema) in k.pattern_properties.into_iter().flatten() {
            if regex(pattern, Match::Search).is_some_and(|re| re.is_match(key)) {
                matched = true;
                nested!(ok, collect, self.eval(schema, value, collect, depth + 1));
            }
        }
        if !matched {
            match k.additional_properties {
                // Reported by the walk, key by key; still invalid inside `anyOf` and the like.
                Some(Value::Bool(false)) if !collect => return false,
                Some(Value::Bool(false)) => {}
                Some(schema) => {
                    nested!(ok, collect, self.eval(schema, value, collect, depth + 1));
                }
                None => {}
            }
        }
        ok
    }

    /// Is a value that is not part of the instance (a key, as a string) valid?
    fn eval_detached(&self, schema: &'s Value, value: &Value, depth: usize) -> bool {
        let mut detached = Evaluator {
            schema: self.schema,
            path: Vec::new(),
            out: Vec::new(),
        };
        detached.eval(schema, value, false, depth + 1)
    }
}

fn type_matches(types: &Value, instance: &Value) -> bool {
    match types {
        Value::String(t) => type_is(t, instance),
        Value::Array(ts) => ts
            .iter()
            .any(|t| t.as_str().is_none_or(|t| type_is(t, instance))),
        _ => true,
    }
}

fn type_is(name: &str, instance: &Value) -> bool {
    match name {
        "string" => instance.is_string(),
        "integer" => {
            instance.is_i64()
                || instance.is_u64()
                || instance.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        "number" => instance.is_number(),
        "boolean" => instance.is_boolean(),
        "array" => instance.is_array(),
        "object" => instance.is_object(),
        "null" => instance.is_null(),
        // A type JSON Schema does not define constrains nothing.
        _ => true,
    }
}

fn type_names(types: &Value) -> Vec<&'static str> {
    let name = |t: &str| -> &'static str {
        match t {
            "string" => "string",
            "integer" => "integer",
            "number" => "number",
            "boolean" => "boolean",
            "array" => "array",
            "object" => "object",
            "null" => "null",
            _ => "value",
        }
    };
    match types {
        Value::String(t) => vec![name(t)],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).map(name).collect(),
        _ => Vec::new(),
    }
}

/// JSON equality, numbers by value (`1` equals `1.0`).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Pairwise for short lists; by a canonical text (keys sorted, numbers as floats) past that,
/// so a long list stays linear.
fn all_unique(items: &[Value]) -> bool {
    if items.len() <= 32 {
        return items
            .iter()
            .enumerate()
            .all(|(i, a)| items[i + 1..].iter().all(|b| !json_equal(a, b)));
    }
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.iter().all(|item| {
        let mut text = String::new();
        canonical(item, &mut text);
        seen.insert(text)
    })
}

fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Number(n) => out.push_str(&format!("n{}", n.as_f64().unwrap_or(0.0))),
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (k, v) in entries {
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(v, out);
                out.push(',');
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[derive(Clone, Copy)]
enum Match {
    /// Java's `String.matches`: the whole text (a schema's `pattern`, written for Java).
    Full,
    /// JSON Schema's search anywhere (the keys of `patternProperties`).
    Search,
}

/// One compiled regex per distinct pattern for the process; `None` when the engine cannot
/// compile it (Java-only syntax such as lookahead), which then constrains nothing.
fn regex(pattern: &str, mode: Match) -> Option<Arc<regex::Regex>> {
    type Cache = RwLock<HashMap<String, Option<Arc<regex::Regex>>>>;
    static FULL: OnceLock<Cache> = OnceLock::new();
    static SEARCH: OnceLock<Cache> = OnceLock::new();
    let cache = match mode {
        Match::Full => &FULL,
        Match::Search => &SEARCH,
    }
    .get_or_init(Default::default);
    if let Some(hit) = cache.read().ok().and_then(|c| c.get(pattern).cloned()) {
        return hit;
    }
    let source = match mode {
        Match::Full => format!("^(?:{pattern})$"),
        Match::Search => pattern.to_string(),
    };
    let compiled = regex::RegexBuilder::new(&source)
        .size_limit(1 << 20)
        .build()
        .ok()
        .map(Arc::new);
    if let Ok(mut c) = cache.write() {
        c.insert(pattern.to_string(), compiled.clone());
    }
    compiled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Origin;
    use serde_json::json;

    /// A schema whose root definition `Flow` is `flow`, beside `others`.
    fn schema(flow: Value, others: Value) -> Schema {
        let mut definitions = others.as_object().cloned().unwrap_or_default();
        definitions.insert("Flow".into(), flow);
        let doc = json!({"$ref": "#/definitions/Flow", "definitions": definitions});
        Schema::from_text(doc.to_string(), Origin::Embedded).unwrap()
    }

    fn violations(flow: Value, others: Value, instance: Value) -> Vec<(String, ViolationKind)> {
        let s = schema(flow, others);
        evaluate(&s, s.root(), &instance)
            .into_iter()
            .map(|v| (v.path, v.kind))
            .collect()
    }

    #[test]
    fn types_enums_and_required_are_reported_at_their_paths() {
        let flow = json!({
            "type": "object",
            "required": ["id", "tasks"],
            "properties": {
                "id": {"type": "string"},
                "count": {"type": "integer", "minimum": 1},
                "mode": {"type": "string", "enum": ["A", "B"]},
                "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1}
            }
        });
        let found = violations(
            flow,
            json!({}),
            json!({"id": 5, "count": 0, "mode": "C", "tags": ["a", []]}),
        );
        assert_eq!(
            found,
            vec![
                (
                    "".into(),
                    ViolationKind::Required {
                        property: "tasks".into()
                    }
                ),
                (
                    "/id".into(),
                    ViolationKind::Type {
                        expected: vec!["string"]
                    }
                ),
                ("/count".into(), ViolationKind::Minimum { limit: json!(1) }),
                (
                    "/mode".into(),
                    ViolationKind::Enum {
                        options: json!(["A", "B"])
                    }
                ),
                (
                    "/tags/1".into(),
                    ViolationKind::Type {
                        expected: vec!["string"]
                    }
                ),
            ]
        );
        // `1.0` is an integer, as in JSON Schema.
        let s = schema(json!({"type": "integer"}), json!({}));
        assert!(evaluate(&s, s.root(), &json!(1.0)).is_empty());
    }

    #[test]
    fn dynamic_properties_accept_expressions_and_keep_precise_errors() {
        let flow = json!({
            "type": "object",
            "properties": {
                "text": {"type": "string", "$dynamic": true},
                "port": {"type": "integer", "$dynamic": true},
                "fixed": {"type": "integer", "$dynamic": false},
                "level": {"type": "string", "enum": ["INFO", "WARN"], "$dynamic": true}
            }
        });
        let ok = json!({"text": {"a": 1}, "port": "{{ inputs.port }}", "level": "{% if x %}INFO{% endif %}"});
        assert!(violations(flow.clone(), json!({}), ok).is_empty());
        let found = violations(
            flow,
            json!({}),
            json!({"port": [1], "fixed": "{{ x }}", "level": "DEBUG"}),
        );
        assert_eq!(
            found.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["/port", "/fixed", "/level"]
        );
        assert_eq!(
            found[0].1,
            ViolationKind::Type {
                expected: vec!["integer"]
            }
        );
    }

    #[test]
    fn patterns_are_full_matches_and_the_expression_pattern_is_a_search() {
        let flow = json!({
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": "[a-z]+"},
                "expr": {"type": "string", "pattern": ".*{{.*}}.*"},
                "java": {"type": "string", "pattern": "(?=a)b"}
            }
        });
        let found = violations(
            flow.clone(),
            json!({}),
            json!({"id": "abc1", "expr": "plain", "java": "anything"}),
        );
        assert_eq!(
            found,
            vec![
                (
                    "/id".into(),
                    ViolationKind::Pattern {
                        pattern: "[a-z]+".into()
                    }
                ),
                (
                    "/expr".into(),
                    ViolationKind::Pattern {
                        pattern: ".*{{.*}}.*".into()
                    }
                ),
            ]
        );
        let ok = json!({"id": "abc", "expr": "a {{ b }} c"});
        assert!(violations(flow, json!({}), ok).is_empty());
    }

    #[test]
    fn unions_only_ask_for_a_mapping_and_refs_resolve() {
        let others = json!({
            "Task": {"anyOf": [{"$ref": "#/definitions/Log"}, {"$ref": "#/definitions/Echo"}]},
            "Log": {"type": "object", "properties": {"type": {"const": "Log"}}, "required": ["message"]},
            "Echo": {"type": "object", "properties": {"type": {"const": "Echo"}}},
            "Retry": {"type": "object", "properties": {"max": {"type": "integer"}}}
        });
        let flow = json!({
            "type": "object",
            "properties": {
                "tasks": {"type": "array", "items": {"$ref": "#/definitions/Task"}},
                "retry": {"$ref": "#/definitions/Retry"}
            }
        });
        // The task is not checked against `Log` here: dispatch does that.
        let found = violations(
            flow,
            others,
            json!({"tasks": [{"type": "Log"}, "text"], "retry": {"max": "x"}}),
        );
        assert_eq!(
            found,
            vec![
                (
                    "/tasks/1".into(),
                    ViolationKind::Type {
                        expected: vec!["object"]
                    }
                ),
                (
                    "/retry/max".into(),
                    ViolationKind::Type {
                        expected: vec!["integer"]
                    }
                ),
            ]
        );
    }

    #[test]
    fn combinators_report_once_at_the_value() {
        let flow = json!({
            "type": "object",
            "properties": {
                "any": {"anyOf": [{"type": "integer"}, {"type": "boolean"}]},
                "one": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
                "all": {"allOf": [{"type": "string"}, {"minLength": 3}]},
                "not": {"not": {"type": "string"}},
                "cond": {"if": {"type": "string"}, "then": {"maxLength": 2}, "else": {"type": "integer"}}
            }
        });
        let found = violations(
            flow,
            json!({}),
            json!({"any": "x", "one": 1, "all": "ab", "not": "s", "cond": "abc"}),
        );
        assert_eq!(
            found,
            vec![
                ("/any".into(), ViolationKind::AnyOf),
                ("/one".into(), ViolationKind::OneOfMany),
                ("/all".into(), ViolationKind::MinLength { limit: 3 }),
                ("/not".into(), ViolationKind::Not),
                ("/cond".into(), ViolationKind::MaxLength { limit: 2 }),
            ]
        );
    }

    #[test]
    fn additional_and_pattern_properties() {
        let flow = json!({
            "type": "object",
            "properties": {
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "env": {"type": "object", "patternProperties": {"^[A-Z]+$": {"type": "string"}},
                        "additionalProperties": false},
                "pick": {"anyOf": [{"type": "object", "additionalProperties": false}, {"type": "string"}]}
            }
        });
        let found = violations(
            flow,
            json!({}),
            // `env/lower` is the walk's to report (unknown key, at its own span); inside
            // `anyOf`, a closed mapping with a key fails the branch.
            json!({"labels": {"a": 1, "b": "x"}, "env": {"HOME": 3, "lower": "x"}, "pick": {"k": 1}}),
        );
        assert_eq!(
            found,
            vec![
                (
                    "/labels/a".into(),
                    ViolationKind::Type {
                        expected: vec!["string"]
                    }
                ),
                (
                    "/env/HOME".into(),
                    ViolationKind::Type {
                        expected: vec!["string"]
                    }
                ),
                ("/pick".into(), ViolationKind::AnyOf),
            ]
        );
    }

    #[test]
    fn keys_with_slashes_are_escaped_and_unique_items_is_linear() {
        let flow = json!({
            "type": "object",
            "additionalProperties": {"type": "integer"},
        });
        let found = violations(flow, json!({}), json!({"a/b~c": "x"}));
        assert_eq!(found[0].0, "/a~1b~0c");
        let unique = json!({"type": "array", "uniqueItems": true});
        let many: Vec<Value> = (0..10_000).map(|i| json!({"n": i})).collect();
        assert!(violations(unique.clone(), json!({}), Value::Array(many.clone())).is_empty());
        let mut twice = many;
        twice.push(json!({"n": 5.0}));
        assert_eq!(
            violations(unique, json!({}), Value::Array(twice)),
            vec![("".into(), ViolationKind::UniqueItems)]
        );
    }

    #[test]
    fn reference_cycles_end() {
        let others = json!({"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}});
        let found = violations(json!({"$ref": "#/definitions/A"}), others, json!(1));
        assert!(found.is_empty());
    }
}
