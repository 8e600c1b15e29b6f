//! Schema validation, the way Kestra validates: each task, trigger, condition, input, retry…
//! is checked only against the definition its `type` selects (never the 1,000-branch union),
//! unknown properties are errors although the served schema is open, and a `$dynamic`
//! property accepts a `{{ … }}` expression whatever its declared type.
//!
//! The schema is indexed without being parsed; definitions are parsed on first use, shared
//! across threads, and read as they stand by the evaluator (nothing is compiled).

pub mod describe;
mod evaluate;
mod index;
pub mod pinned;
mod plugin_files;
pub mod pull;
pub mod store;
mod validate;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use serde_json::Value;

use crate::config::Target;

pub use store::{LayerKind, SchemaStore};
pub use validate::{validate_flow, Finding, FindingKind};

/// The schemas shipped in the binary: the Flow model and every core plugin, per release line.
const EMBEDDED_1_3: &str = include_str!("../../schemas/kestra-core.schema.json");
const EMBEDDED_2_0: &str = include_str!("../../schemas/kestra-core-2.0.schema.json");
/// Marks a union in the generated plugin schemas (which may have no member).
pub const UNION_MARK: &str = "x-kestra-lint-union";
/// Old type names Kestra 1.x still accepts, mapped to their canonical names.
const ALIASES: &str = include_str!("../../schemas/aliases.json");

/// Where the schema in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    File(PathBuf),
    /// An embedded plugin schema, by plugin name (`scripts`, `jdbc`…).
    Plugin(String),
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Embedded => "the embedded core schema".to_string(),
            Origin::File(p) => format!("the schema at {}", crate::source::display_path(p)),
            Origin::Plugin(name) => format!("the embedded schema of plugin `{name}`"),
        }
    }
}

/// A loaded schema: its text, an index of definitions, and lazily built parts.
pub struct Schema {
    /// Borrowed for the embedded schemas (no copy of a plugin's text per run).
    text: std::borrow::Cow<'static, str>,
    keys: Vec<String>,
    ranges: Vec<std::ops::Range<usize>>,
    by_key: HashMap<String, usize>,
    root: usize,
    pub origin: Origin,
    aliases: &'static HashMap<String, String>,
    parsed: Vec<OnceLock<Option<Value>>>,
    /// `type` const → definition index, built on the first lookup that misses by key.
    consts: OnceLock<HashMap<String, usize>>,
    /// Union detection results by the address of the (never moved) schema value.
    unions: RwLock<HashMap<usize, Option<Arc<[usize]>>>>,
    /// Members of the unions looked up by base name (`is_member`).
    bases: RwLock<HashMap<String, Arc<HashSet<usize>>>>,
    /// Suggestions for unknown type names, by (union members, name): the same wrong name
    /// (an alias 2.0 dropped) recurs across a repository, and each search reads every member.
    suggestions: SuggestionCache,
}

type SuggestionCache = RwLock<HashMap<(Box<[usize]>, String), Option<String>>>;

impl std::fmt::Debug for Schema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schema")
            .field("origin", &self.origin)
            .field("definitions", &self.keys.len())
            .finish()
    }
}

impl Schema {
    /// The embedded core schema of the default target (Kestra 2.0).
    pub fn embedded() -> &'static Schema {
        Schema::embedded_for(Target::DEFAULT)
    }

    /// The embedded core schema of a release line. Built once per process.
    pub fn embedded_for(target: Target) -> &'static Schema {
        embedded_static(target)
    }

    /// The embedded core schema of a release line, shared (the same instance as
    /// [`Schema::embedded_for`]).
    pub fn embedded_arc(target: Target) -> Arc<Schema> {
        embedded_static(target).clone()
    }

    /// A schema file, in the shape a Kestra server serves (`GET /api/v1/plugins/schemas/flow`).
    pub fn from_file(path: &Path) -> Result<Schema, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read schema {}: {e}",
                crate::source::display_path(path)
            )
        })?;
        Schema::from_text(text, Origin::File(path.to_path_buf())).map_err(|e| {
            format!(
                "{} is not a Kestra flow schema: {e}",
                crate::source::display_path(path)
            )
        })
    }

    pub fn from_text(
        text: impl Into<std::borrow::Cow<'static, str>>,
        origin: Origin,
    ) -> Result<Schema, String> {
        let text = text.into();
        let raw = index::index(&text)?;
        let root_ref = raw
            .root_ref
            .ok_or("it has no root `$ref` to the Flow definition")?;
        let root_key = root_ref
            .strip_prefix("#/definitions/")
            .ok_or_else(|| {
                format!("its root `$ref` `{root_ref}` does not point into `definitions`")
            })?
            .to_string();
        let mut keys: Vec<String> = raw.definitions.keys().cloned().collect();
        keys.sort();
        let ranges = keys.iter().map(|k| raw.definitions[k].clone()).collect();
        let by_key: HashMap<String, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        let root = *by_key
            .get(&root_key)
            .ok_or_else(|| format!("its root definition `{root_key}` is missing"))?;
        let aliases = alias_table();
        let n = keys.len();
        let schema = Schema {
            text,
            keys,
            ranges,
            by_key,
            root,
            origin,
            aliases,
            parsed: (0..n).map(|_| OnceLock::new()).collect(),
            consts: OnceLock::new(),
            unions: RwLock::new(HashMap::new()),
            bases: RwLock::new(HashMap::new()),
            suggestions: RwLock::new(HashMap::new()),
        };
        if schema.definition(root).is_none() {
            return Err("its Flow definition is not valid JSON".into());
        }
        Ok(schema)
    }

    /// The schema document's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_embedded(&self) -> bool {
        self.origin == Origin::Embedded
    }

    pub fn definition_count(&self) -> usize {
        self.keys.len()
    }

    pub fn root(&self) -> usize {
        self.root
    }

    pub fn key(&self, index: usize) -> &str {
        &self.keys[index]
    }

    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// The parsed definition (parsed on first use).
    pub fn definition(&self, index: usize) -> Option<&Value> {
        self.parsed[index]
            .get_or_init(|| serde_json::from_str(&self.text[self.ranges[index].clone()]).ok())
            .as_ref()
    }

    /// The definition a `#/definitions/…` reference points to.
    pub fn resolve_ref(&self, reference: &str) -> Option<usize> {
        let key = reference.strip_prefix("#/definitions/")?;
        if key.contains('~') {
            return self.index_of(&key.replace("~1", "/").replace("~0", "~"));
        }
        self.index_of(key)
    }

    /// The canonical type for an alias, if `name` is one.
    pub fn canonical_alias(&self, name: &str) -> Option<&str> {
        self.aliases.get(name).map(String::as_str)
    }

    /// The `type` const a definition declares.
    pub fn type_const(&self, index: usize) -> Option<&str> {
        // Asked for every dispatch: plain lookups, not a JSON pointer parsed each time.
        self.definition(index)?
            .get("properties")?
            .get("type")?
            .get("const")?
            .as_str()
    }

    /// The definition whose `type` const is `name` (by key first, then by scanning consts).
    pub fn definition_for_type(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.index_of(name) {
            if self.type_const(i) == Some(name) {
                return Some(i);
            }
        }
        // The embedded schemas key every class by its `type` (a test holds them to it): a
        // class name they do not key is not there, and scanning them all is not needed.
        if name.contains('.') && matches!(self.origin, Origin::Embedded | Origin::Plugin(_)) {
            return None;
        }
        self.consts
            .get_or_init(|| self.scan_consts())
            .get(name)
            .copied()
    }

    fn scan_consts(&self) -> HashMap<String, usize> {
        #[derive(serde::Deserialize)]
        struct Probe {
            properties: Option<Props>,
        }
        #[derive(serde::Deserialize)]
        struct Props {
            #[serde(rename = "type")]
            ty: Option<TypeProbe>,
        }
        #[derive(serde::Deserialize)]
        struct TypeProbe {
            #[serde(rename = "const")]
            value: Option<String>,
        }
        let mut out = HashMap::new();
        for (i, range) in self.ranges.iter().enumerate() {
            let Ok(probe) = serde_json::from_str::<Probe>(&self.text[range.clone()]) else {
                continue;
            };
            if let Some(c) = probe.properties.and_then(|p| p.ty).and_then(|t| t.value) {
                out.entry(c).or_insert(i);
            }
        }
        out
    }

    /// The suggestion for an unknown type `name` among the union `members`, computed by
    /// `find` once per (members, name).
    pub fn suggestion(
        &self,
        name: &str,
        members: &[usize],
        find: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        let key = (Box::<[usize]>::from(members), name.to_string());
        if let Some(hit) = self
            .suggestions
            .read()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return hit;
        }
        let found = find();
        if let Ok(mut m) = self.suggestions.write() {
            m.insert(key, found.clone());
        }
        found
    }

    /// Members of a polymorphic union: `{"$ref": <base>}` whose definition is an
    /// `anyOf`/`oneOf` of `$ref`s, or such an `anyOf`/`oneOf` written inline. Only values that
    /// live inside this schema's parsed definitions may be passed (results are cached by address).
    pub fn union_members(&self, schema: &Value) -> Option<Arc<[usize]>> {
        let key = schema as *const Value as usize;
        if let Some(hit) = self.unions.read().ok().and_then(|m| m.get(&key).cloned()) {
            return hit;
        }
        let result = self.find_union_members(schema).map(Arc::from);
        if let Ok(mut m) = self.unions.write() {
            m.insert(key, result.clone());
        }
        result
    }

    /// Is definition `def` a member of the union defined at `base` (a definition key)?
    pub fn is_member(&self, base: &str, def: usize) -> bool {
        if let Some(hit) = self.bases.read().ok().and_then(|m| m.get(base).cloned()) {
            return hit.contains(&def);
        }
        let probe = serde_json::json!({ "$ref": format!("#/definitions/{base}") });
        // Cached by name, not by address: `probe` is a temporary.
        let members: HashSet<usize> = self
            .find_union_members(&probe)
            .into_iter()
            .flatten()
            .collect();
        let found = members.contains(&def);
        if let Ok(mut m) = self.bases.write() {
            m.insert(base.to_string(), Arc::new(members));
        }
        found
    }

    fn find_union_members(&self, schema: &Value) -> Option<Vec<usize>> {
        let mut target = schema;
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            target = self.definition(self.resolve_ref(r)?)?;
        }
        let branches = target
            .get("anyOf")
            .or_else(|| target.get("oneOf"))?
            .as_array()?;
        // A generated plugin schema marks its bases: a union even with one or no member.
        let marked = target.get(UNION_MARK) == Some(&Value::Bool(true));
        if branches.len() < 2 && target.get("$ref").is_none() && schema.get("$ref").is_none() {
            return None;
        }
        let mut members = Vec::with_capacity(branches.len());
        for b in branches {
            let r = b.get("$ref")?.as_str()?;
            if b.as_object().is_some_and(|o| o.len() != 1) {
                return None;
            }
            members.push(self.resolve_ref(r)?);
        }
        if marked {
            return Some(members);
        }
        // A union dispatches on `type`: its first member must declare a `type` const.
        let first = *members.first()?;
        self.type_const(first)?;
        Some(members)
    }
}

/// How many types of each kind a schema knows.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TypeCounts {
    pub tasks: usize,
    pub triggers: usize,
    pub conditions: usize,
    pub inputs: usize,
}

impl Schema {
    /// Count the members of the Flow's task, trigger and input unions, and of the first
    /// condition union found on a trigger.
    pub fn type_counts(&self) -> TypeCounts {
        let Some(flow) = self.definition(self.root) else {
            return TypeCounts::default();
        };
        let members = |ptr: &str| {
            flow.pointer(ptr)
                .and_then(|s| self.union_members(s))
                .map_or(Vec::new(), |m| m.to_vec())
        };
        let triggers = members("/properties/triggers/items");
        let conditions = triggers
            .iter()
            .filter_map(|&t| self.definition(t)?.pointer("/properties/conditions/items"))
            .find_map(|s| self.union_members(s))
            .map_or(0, |m| m.len());
        TypeCounts {
            tasks: members("/properties/tasks/items").len(),
            triggers: triggers.len(),
            conditions,
            inputs: members("/properties/inputs/items").len(),
        }
    }
}

/// Old type names and their canonical names, parsed once per process.
fn alias_table() -> &'static HashMap<String, String> {
    static TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    TABLE.get_or_init(|| serde_json::from_str(ALIASES).expect("the alias table is valid JSON"))
}

/// The embedded core schema of a release line, built once per process.
fn embedded_static(target: Target) -> &'static Arc<Schema> {
    static V1: OnceLock<Arc<Schema>> = OnceLock::new();
    static V2: OnceLock<Arc<Schema>> = OnceLock::new();
    let (cell, text) = match target {
        Target::V1 => (&V1, EMBEDDED_1_3),
        Target::V2 => (&V2, EMBEDDED_2_0),
    };
    cell.get_or_init(|| {
        Arc::new(Schema::from_text(text, Origin::Embedded).expect("the embedded schema is valid"))
    })
}

/// Where a schema comes from for a run: `--schema`, else the embedded one of `target`.
pub fn load(
    path: Option<&Path>,
    kind: LayerKind,
    target: Target,
) -> Result<Arc<SchemaStore>, String> {
    match path {
        None => Ok(SchemaStore::embedded_for(target)),
        Some(p) => Ok(Arc::new(SchemaStore::with_file(p, kind, target)?)),
    }
}

#[cfg(test)]
mod tests;
