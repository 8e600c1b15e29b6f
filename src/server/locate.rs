//! Where an offset falls in the YAML tree, and what the schema says about that place: the path
//! from the root (keys and list positions) and, walking the schema along it, the definition of
//! each mapping (a polymorphic object picks its definition by its `type`, as Kestra does).

use serde_json::Value;

use crate::schema::{Schema, SchemaStore};
use crate::yaml::{Entry, Node, NodeKind};

/// One step down from a node.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a Entry),
    Index,
}

/// The nodes from the root down to the deepest one holding `offset`, each with the step that
/// led to it; `on_key` says the offset is on the last entry's key.
#[derive(Debug)]
pub struct Located<'a> {
    pub nodes: Vec<&'a Node>,
    pub steps: Vec<Step<'a>>,
    pub on_key: bool,
}

impl<'a> Located<'a> {
    /// The entry whose key or value holds the offset, if the deepest step is a key.
    pub fn entry(&self) -> Option<&'a Entry> {
        match self.steps.last()? {
            Step::Key(e) => Some(e),
            Step::Index => None,
        }
    }

    /// The mapping that holds [`Self::entry`].
    pub fn parent_map(&self) -> Option<&'a Node> {
        self.entry()?;
        self.nodes.get(self.nodes.len().checked_sub(2)?).copied()
    }
}

pub fn locate(root: &Node, offset: usize) -> Located<'_> {
    let mut out = Located {
        nodes: vec![root],
        steps: Vec::new(),
        on_key: false,
    };
    let mut node = root;
    loop {
        match &node.kind {
            NodeKind::Map(entries) => {
                let Some(entry) = entries.iter().find(|e| {
                    let end = e.value.span.end.max(e.key.span.end);
                    e.key.span.start <= offset && offset <= end
                }) else {
                    return out;
                };
                out.steps.push(Step::Key(entry));
                if offset <= entry.key.span.end && entry.key.span.start <= offset {
                    out.on_key = true;
                    out.nodes.push(&entry.key);
                    return out;
                }
                out.nodes.push(&entry.value);
                node = &entry.value;
            }
            NodeKind::Seq(items) => {
                let Some(item) = items
                    .iter()
                    .find(|n| n.span.start <= offset && offset <= n.span.end)
                else {
                    return out;
                };
                out.steps.push(Step::Index);
                out.nodes.push(item);
                node = item;
            }
            NodeKind::Scalar(_) | NodeKind::Alias(_) => return out,
        }
    }
}

/// Every mapping of the tree with the path to it, for finding the one a new line belongs to.
pub fn maps_with_paths(root: &Node) -> Vec<(Vec<&Node>, Vec<Step<'_>>)> {
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<&Node>, Vec<Step<'_>>)> = vec![(vec![root], Vec::new())];
    while let Some((nodes, steps)) = stack.pop() {
        let node = *nodes.last().expect("a path holds its node");
        match &node.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    let mut n = nodes.clone();
                    n.push(&e.value);
                    let mut s = steps.clone();
                    s.push(Step::Key(e));
                    stack.push((n, s));
                }
                out.push((nodes, steps));
            }
            NodeKind::Seq(items) => {
                for item in items {
                    let mut n = nodes.clone();
                    n.push(item);
                    let mut s = steps.clone();
                    s.push(Step::Index);
                    stack.push((n, s));
                }
            }
            _ => {}
        }
    }
    out
}

const MAX_DEPTH: usize = 24;

/// A place in a schema: which schema (layer or plugin) and the subschema there.
#[derive(Clone, Copy)]
pub struct At<'s> {
    pub schema: &'s Schema,
    pub value: &'s Value,
}

impl<'s> At<'s> {
    /// The properties this (object) subschema requires.
    pub fn required(&self) -> Vec<&'s str> {
        self.value
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// The subschema that describes each node of the path (`nodes[i]` reached by `steps[i-1]`),
/// from the Flow definition down; stops where the schema says nothing more.
pub fn schema_path<'s>(store: &'s SchemaStore, nodes: &[&Node], steps: &[Step<'_>]) -> Vec<At<'s>> {
    let schema = store.primary();
    let Some(root) = schema.definition(schema.root()) else {
        return Vec::new();
    };
    let mut out = vec![At {
        schema,
        value: root,
    }];
    for (i, step) in steps.iter().enumerate() {
        let Some(here) = resolve(store, *out.last().expect("not empty"), nodes[i]) else {
            break;
        };
        let next = match step {
            Step::Key(e) => e
                .key_str()
                .and_then(|k| here.value.get("properties")?.get(k))
                .or_else(|| {
                    here.value
                        .get("additionalProperties")
                        .filter(|v| v.is_object())
                }),
            Step::Index => here.value.get("items"),
        };
        let Some(value) = next else { break };
        out.push(At {
            schema: here.schema,
            value,
        });
    }
    out
}

/// The definition that applies to `node` at `at`: references followed, a union's member chosen
/// by the node's `type`, the branch of an `anyOf` that fits the node's kind.
pub fn resolve<'s>(store: &'s SchemaStore, at: At<'s>, node: &Node) -> Option<At<'s>> {
    let mut at = at;
    for _ in 0..MAX_DEPTH {
        if at.schema.union_members(at.value).is_some() {
            let name = node.get_str("type")?;
            let (schema, i) = store.lookup(name)?;
            at = At {
                schema,
                value: schema.definition(i)?,
            };
            continue;
        }
        if let Some(r) = at.value.get("$ref").and_then(Value::as_str) {
            at.value = at.schema.definition(at.schema.resolve_ref(r)?)?;
            continue;
        }
        let branches = at
            .value
            .get("anyOf")
            .or_else(|| at.value.get("oneOf"))
            .and_then(Value::as_array);
        if let Some(branches) = branches {
            let want = match node.kind {
                NodeKind::Map(_) => "object",
                NodeKind::Seq(_) => "array",
                _ => "",
            };
            let fits = |b: &Value| {
                b.get("type").and_then(Value::as_str) == Some(want)
                    || (want == "object"
                        && (b.get("properties").is_some() || b.get("$ref").is_some()))
            };
            at.value = branches.iter().find(|b| fits(b)).or(branches.first())?;
            continue;
        }
        return Some(at);
    }
    None
}

/// The `type` values a polymorphic object at `at` may take: the union's members, and the
/// plugin types of the same kind.
pub fn type_choices(store: &SchemaStore, at: At<'_>) -> Vec<String> {
    let mut value = at.value;
    if let Some(items) = value.get("items") {
        value = items;
    }
    let Some(members) = at.schema.union_members(value) else {
        return Vec::new();
    };
    let mut out: Vec<String> = members
        .iter()
        .filter_map(|&i| at.schema.type_const(i).map(str::to_string))
        .collect();
    let base = value.get("$ref").and_then(Value::as_str).unwrap_or("");
    let kind = plugin_kind(base);
    if let (Some(kind), Some(layer)) = (kind, store.plugin_layer()) {
        for p in layer.plugins() {
            out.extend(
                p.types
                    .iter()
                    .map(|(t, _)| t)
                    .filter(|t| {
                        plugin_kind(t) == Some(kind) || (kind == "task" && plugin_kind(t).is_none())
                    })
                    .cloned(),
            );
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Which kind of plugin a union base or a type name stands for, by its package (Kestra's own
/// naming: `…trigger…`, `…condition…`, tasks elsewhere).
fn plugin_kind(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if lower.contains(".trigger") {
        Some("trigger")
    } else if lower.contains(".condition") {
        Some("condition")
    } else if lower.ends_with("tasks.task") {
        Some("task")
    } else {
        None
    }
}
