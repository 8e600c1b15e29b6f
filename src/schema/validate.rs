//! Validates one flow: the Flow envelope, then every task (from the flow view), then every
//! other polymorphic value (trigger, condition, input, retry, task runner…) found while
//! walking, each against the definition its `type` selects.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::Value;

use super::describe::{expected, list_values};
use super::evaluate::{self, ViolationKind};
use super::{Schema, SchemaStore};
use crate::diagnostic::Span;
use crate::flow::Flow;
use crate::yaml::{Node, NodeKind, ScalarValue};

/// One schema problem, located.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    /// The exact node: the key for an unknown property, the value for a wrong value.
    pub span: Span,
    /// JSON pointer of the node in the flow.
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FindingKind {
    UnknownProperty {
        name: String,
        owner: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    MissingRequired {
        property: String,
        owner: String,
    },
    MissingType {
        what: &'static str,
    },
    InvalidType {
        expected: String,
        found: &'static str,
    },
    InvalidEnum {
        value: String,
        allowed: String,
        suggestion: Option<String>,
    },
    InvalidValue {
        message: String,
    },
    /// A literal that Java's `Duration.parse` refuses where the schema says `format: duration`.
    InvalidDuration {
        value: String,
        reason: String,
        /// The ISO-8601 form, when the text reads as a duration in words (`PT30S`).
        suggestion: Option<String>,
    },
    UnknownType {
        name: String,
        what: &'static str,
        suggestion: Option<String>,
        /// The valid names when they are few words, not classes (input and retry types).
        known: Vec<String>,
    },
    /// A plugin type the embedded core schema does not describe (not an error).
    TypeNotInSchema {
        name: String,
    },
    /// A task (a plugin `type`) in the flow's `outputs`, which declare values.
    TaskInOutputs {
        name: String,
    },
    /// A known type used where another kind is expected (a trigger among tasks).
    WrongKind {
        name: String,
        what: &'static str,
    },
    Alias {
        alias: String,
        canonical: String,
    },
    DeprecatedProperty {
        name: String,
        owner: String,
        /// The property that replaces it (a sibling with a close name, e.g. `maxAttempts`
        /// for `maxAttempt`), and whether the mapping already has it.
        replacement: Option<(String, bool)>,
    },
    DeprecatedType {
        name: String,
    },
    /// A `{{ … }}` in a property the schema marks `$dynamic: false`: Kestra will not render it.
    StaticExpression {
        name: String,
    },
}

/// A polymorphic value still to dispatch: (node, pointer, union members, what, the schema
/// the union belongs to).
type Work<'s, 'n> = (&'n Node, String, Arc<[usize]>, &'static str, &'s Schema);

struct Run<'s, 'n> {
    store: &'s SchemaStore,
    /// The layer of the definition being checked (its `$ref`s and unions are its own).
    schema: &'s Schema,
    out: Vec<Finding>,
    work: Vec<Work<'s, 'n>>,
    task_members: Arc<[usize]>,
    /// (type, property) pairs supplied by flow-level plugin defaults.
    defaults: Vec<(String, HashSet<String>)>,
    seen: HashSet<(String, String)>,
}

/// The type `name` most likely meant among `candidates` (the type consts of a union).
fn suggest_type(name: &str, is_class: bool, candidates: &[&str]) -> Option<String> {
    let simple = |t: &str| t.rsplit('.').next().unwrap_or("").to_string();
    crate::suggest::closest(name, candidates.iter().copied())
        // An old package with a class that moved (`…core.tasks.outputs.OutputValues`).
        .or_else(|| {
            let mut same = candidates
                .iter()
                .filter(|c| is_class && simple(c) == simple(name));
            match (same.next(), same.next()) {
                (Some(c), None) => Some(*c),
                _ => None,
            }
        })
        .or_else(|| {
            // Case slips in input types (`string` for `STRING`).
            candidates
                .iter()
                .find(|c| c.eq_ignore_ascii_case(name))
                .copied()
        })
        .map(str::to_string)
}

/// Validate a flow; findings come in no particular order.
pub fn validate_flow(store: &SchemaStore, flow: &Flow<'_>) -> Vec<Finding> {
    let schema = store.primary();
    let root_def = schema.root();
    let Some(flow_def) = schema.definition(root_def) else {
        return Vec::new();
    };
    let task_members = flow_def
        .pointer("/properties/tasks/items")
        .and_then(|items| schema.union_members(items))
        .unwrap_or_else(|| Arc::from(Vec::new()));
    let mut run = Run {
        store,
        schema,
        out: Vec::new(),
        work: Vec::new(),
        task_members: task_members.clone(),
        defaults: plugin_defaults(flow.root),
        seen: HashSet::new(),
    };
    run.check_object(root_def, flow.root, "", "flow");
    run.default_aliases(flow.root);
    for task in &flow.tasks {
        run.schema = schema;
        run.dispatch(task.node, &task.pointer, &task_members, "task");
    }
    while let Some((node, pointer, members, what, layer)) = run.work.pop() {
        run.schema = layer;
        run.dispatch(node, &pointer, &members, what);
    }
    tasks_in_outputs(flow, &mut run.out);
    run.out
}

/// A task placed under the flow's `outputs` (its `type` is a plugin class, not `STRING`…) is one
/// mistake: one finding instead of the missing `value`, the wrong `type` and its properties.
fn tasks_in_outputs(flow: &Flow<'_>, out: &mut Vec<Finding>) {
    for output in &flow.outputs {
        let Some(type_node) = output.type_node() else {
            continue;
        };
        let Some(name) = type_node.as_str().filter(|t| t.contains('.')) else {
            continue;
        };
        let inside = |p: &str| {
            p.strip_prefix(output.pointer.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        out.retain(|f| !inside(&f.pointer));
        out.push(Finding {
            kind: FindingKind::TaskInOutputs {
                name: name.to_string(),
            },
            span: type_node.span.clone(),
            pointer: format!("{}/type", output.pointer),
        });
    }
}

fn plugin_defaults(root: &Node) -> Vec<(String, HashSet<String>)> {
    ["pluginDefaults", "taskDefaults"]
        .iter()
        .filter_map(|k| root.get(k)?.as_seq())
        .flatten()
        .filter_map(|d| {
            let ty = d.get_str("type")?.to_string();
            let keys = d
                .get("values")?
                .as_map()?
                .iter()
                .filter_map(|e| e.key_str().map(str::to_string))
                .collect();
            Some((ty, keys))
        })
        .collect()
}

impl<'s, 'n> Run<'s, 'n> {
    /// A plugin default keyed by an old type name: the same D001 (and fix) as on a task.
    fn default_aliases(&mut self, root: &'n Node) {
        for key in ["pluginDefaults", "taskDefaults"] {
            let Some(items) = root.get(key).and_then(Node::as_seq) else {
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                let Some(type_node) = item.get("type") else {
                    continue;
                };
                let Some(name) = type_node.scalar_text() else {
                    continue;
                };
                if let Some(canonical) = self.store.canonical_alias(name) {
                    self.push(
                        FindingKind::Alias {
                            alias: name.to_string(),
                            canonical: canonical.to_string(),
                        },
                        type_node.span.clone(),
                        &format!("/{key}/{i}/type"),
                    );
                }
            }
        }
    }

    fn push(&mut self, kind: FindingKind, span: Span, pointer: &str) {
        let key = (pointer.to_string(), format!("{kind:?}"));
        if self.seen.insert(key) {
            self.out.push(Finding {
                kind,
                span,
                pointer: pointer.to_string(),
            });
        }
    }

    /// Validate `node` (at `pointer`) against one polymorphic union by its `type`.
    fn dispatch(&mut self, node: &'n Node, pointer: &str, members: &[usize], what: &'static str) {
        if node.as_map().is_none() {
            return;
        }
        let anchor = anchor_span(node);
        let Some(type_node) = node.get("type") else {
            self.push(FindingKind::MissingType { what }, anchor, pointer);
            return;
        };
        let type_pointer = format!("{pointer}/type");
        let Some(name) = type_node.scalar_text() else {
            self.push(
                FindingKind::InvalidType {
                    expected: "a type name".into(),
                    found: type_node.kind_name(),
                },
                type_node.span.clone(),
                &type_pointer,
            );
            return;
        };
        let mut canonical = name.to_string();
        if let Some(target) = self.store.canonical_alias(name) {
            self.push(
                FindingKind::Alias {
                    alias: name.to_string(),
                    canonical: target.to_string(),
                },
                type_node.span.clone(),
                &type_pointer,
            );
            canonical = target.to_string();
        }
        // A served schema may describe the old name itself rather than the canonical one.
        let mut def = self
            .schema
            .definition_for_type(&canonical)
            .or_else(|| self.schema.definition_for_type(name));
        // A `type` const is only unique within its union (`version` is both a KV and a
        // namespace-file purge behaviour): when the first match is not a member, look among
        // the members before calling it the wrong kind (only then, as it parses them all).
        if def.is_some_and(|d| !members.contains(&d)) {
            if let Some(m) = members.iter().copied().find(|&m| {
                let c = self.schema.type_const(m);
                c == Some(canonical.as_str()) || c == Some(name)
            }) {
                def = Some(m);
            }
        }
        let mut layer = self.schema;
        if !def.is_some_and(|d| members.contains(&d)) {
            // Not in this layer's union: ask the other layers (a plugin task among core
            // children, a core task among a plugin's), first that knows the type wins.
            if let Some(base) = base_of(what) {
                let found = [canonical.as_str(), name].into_iter().find_map(|n| {
                    self.store
                        .candidates(n)
                        .into_iter()
                        .find(|(l, _)| !std::ptr::eq(*l, self.schema))
                });
                if let Some((other, d)) = found {
                    if other.is_member(base, d) || def.is_none() {
                        (layer, def) = (other, Some(d));
                    }
                }
            }
        }
        let Some(def) = def else {
            self.unknown_type(name, type_node.span.clone(), &type_pointer, members, what);
            return;
        };
        let is_member = if std::ptr::eq(layer, self.schema) {
            members.contains(&def)
        } else {
            base_of(what).is_some_and(|b| layer.is_member(b, def))
        };
        if !is_member {
            self.push(
                FindingKind::WrongKind {
                    name: name.to_string(),
                    what,
                },
                type_node.span.clone(),
                &type_pointer,
            );
            return;
        }
        let saved = std::mem::replace(&mut self.schema, layer);
        let deprecated = self
            .schema
            .definition(def)
            .and_then(|d| d.get("$deprecated"))
            .is_some_and(|v| v == &Value::Bool(true) || v == "true");
        if deprecated {
            self.push(
                FindingKind::DeprecatedType {
                    name: canonical.clone(),
                },
                type_node.span.clone(),
                &type_pointer,
            );
        }
        self.check_object(def, node, pointer, what);
        self.schema = saved;
    }

    fn unknown_type(
        &mut self,
        name: &str,
        span: Span,
        pointer: &str,
        members: &[usize],
        what: &'static str,
    ) {
        let is_class = name.contains('.');
        // Core names are fully known (the schema and the alias table): an unknown
        // `io.kestra.core.*` is as wrong as an unknown `io.kestra.plugin.core.*`.
        // Not core although named so: Kestra's own test plugins (`io.kestra.core.tasks.test.*`)
        // and the old script tasks, which plugin-scripts still ships
        // (`io.kestra.core.tasks.scripts.Bash`).
        let in_core = name.starts_with("io.kestra.plugin.core.")
            || (name.starts_with("io.kestra.core.")
                && !name.contains(".test.")
                && !name.starts_with("io.kestra.core.tasks.scripts."));
        if is_class && !in_core && self.store.primary().is_embedded() {
            self.push(
                FindingKind::TypeNotInSchema {
                    name: name.to_string(),
                },
                span,
                pointer,
            );
            return;
        }
        let candidates: Vec<&str> = members
            .iter()
            .filter_map(|&m| self.schema.type_const(m))
            .collect();
        let suggestion = self
            .schema
            .suggestion(name, members, || suggest_type(name, is_class, &candidates));
        self.push(
            FindingKind::UnknownType {
                name: name.to_string(),
                what,
                suggestion,
                known: if is_class {
                    Vec::new()
                } else {
                    let mut known: Vec<String> = candidates
                        .iter()
                        .filter(|c| !c.contains('.'))
                        .map(|c| c.to_string())
                        .collect();
                    known.sort();
                    known.dedup();
                    known
                },
            },
            span,
            pointer,
        );
    }

    /// Run the compiled validator, then walk for unknown properties and nested unions.
    fn check_object(&mut self, def: usize, node: &'n Node, pointer: &str, what: &'static str) {
        // "`Log` task", "`constant` retry", "`STRING` input", "flow".
        let owner = match self.schema.type_const(def) {
            Some(t) => format!("`{}` {what}", t.rsplit('.').next().unwrap_or(t)),
            None => what.to_string(),
        };
        let mut instance = node.to_json();
        // Kestra reads an explicit `null` as an absent property.
        strip_nulls(&mut instance);
        for violation in evaluate::evaluate(self.schema, def, &instance) {
            self.map_error(
                def,
                node,
                pointer,
                &violation.path,
                &violation.kind,
                &owner,
                what,
            );
        }
        if let Some(value) = self.schema.definition(def) {
            self.walk(value, node, pointer.to_string(), &owner, 0);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn map_error(
        &mut self,
        def: usize,
        node: &'n Node,
        pointer: &str,
        rel: &str,
        kind: &ViolationKind,
        owner: &str,
        what: &'static str,
    ) {
        let Some((_, target)) = node.pointer_entry(rel) else {
            return;
        };
        let full = format!("{pointer}{rel}");
        // Ids, the namespace and `tasks` belong to the K rules, which say it better.
        let last = rel.rsplit('/').next().unwrap_or("");
        let at_root = rel.is_empty() || rel.matches('/').count() == 1;
        // `type` is checked by dispatch (aliases fail the const but are fine).
        if at_root
            && (matches!(last, "id" | "type")
                || (what == "flow" && matches!(last, "namespace" | "tasks")))
        {
            return;
        }
        match kind {
            ViolationKind::Required { property } => {
                let property = property.clone();
                let skip_k = rel.is_empty()
                    && (property == "id"
                        || (what == "flow" && matches!(property.as_str(), "namespace" | "tasks")));
                if skip_k || self.default_supplies(target, &property) {
                    return;
                }
                let owner = match (rel.is_empty(), target.get_str("type")) {
                    (false, Some(t)) => format!("`{}`", t.rsplit('.').next().unwrap_or(t)),
                    _ => owner.to_string(),
                };
                self.push(
                    FindingKind::MissingRequired { property, owner },
                    anchor_span(target),
                    &full,
                );
            }
            ViolationKind::Type { expected: names } => {
                if coerces(target, names) {
                    return;
                }
                let expected = names.iter().map(|n| article(n)).collect::<Vec<_>>();
                self.push(
                    FindingKind::InvalidType {
                        expected: super::describe::join_or(&expected),
                        found: target.kind_name(),
                    },
                    target.span.clone(),
                    &full,
                );
            }
            ViolationKind::Enum { options } => {
                let value = target.scalar_text().unwrap_or("").to_string();
                let allowed: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let suggestion = crate::suggest::closest(&value, allowed.iter().copied())
                    .or_else(|| {
                        allowed
                            .iter()
                            .find(|a| a.eq_ignore_ascii_case(&value))
                            .copied()
                    })
                    .map(str::to_string);
                self.push(
                    FindingKind::InvalidEnum {
                        value,
                        allowed: list_values(options.as_array().map_or(&[][..], |a| a)),
                        suggestion,
                    },
                    target.span.clone(),
                    &full,
                );
            }
            ViolationKind::AnyOf | ViolationKind::OneOfNone => {
                let Some(sub) = self.schema_at(def, node, rel) else {
                    return;
                };
                if let Some(options) = enum_of(sub) {
                    if target.as_scalar().is_some() {
                        let kind = ViolationKind::Enum { options };
                        return self.map_error(def, node, pointer, rel, &kind, owner, what);
                    }
                }
                let expected = expected(self.schema, sub);
                // "expected a mapping or a list, found a mapping" says nothing: the value has a
                // right shape and fails inside it (a label key pattern, say), which the walk and
                // the K rules report precisely.
                let same_shape = matches!(target.kind_name(), "a mapping" | "a list")
                    && expected.contains(target.kind_name());
                if same_shape || scalar_fits(target, &expected) {
                    return;
                }
                self.push(
                    FindingKind::InvalidType {
                        expected,
                        found: target.kind_name(),
                    },
                    target.span.clone(),
                    &full,
                );
            }
            ViolationKind::Constant { expected } => {
                self.push(
                    FindingKind::InvalidValue {
                        message: format!("expected `{}`", display_value(expected)),
                    },
                    target.span.clone(),
                    &full,
                );
            }
            ViolationKind::Pattern { pattern: shown } => {
                self.push(
                    FindingKind::InvalidValue {
                        message: format!(
                            "`{}` does not match the pattern `{shown}`",
                            target.scalar_text().unwrap_or("")
                        ),
                    },
                    target.span.clone(),
                    &full,
                );
            }
            other => {
                let message = describe_limit(other, target);
                self.push(
                    FindingKind::InvalidValue { message },
                    target.span.clone(),
                    &full,
                );
            }
        }
    }

    /// Is `property` of the object `target` supplied by a flow-level plugin default?
    fn default_supplies(&self, target: &Node, property: &str) -> bool {
        let Some(ty) = target.get_str("type") else {
            return false;
        };
        // Old and new names of a type are the same plugin, on either side.
        let canonical =
            |t: &str| -> String { self.store.canonical_alias(t).unwrap_or(t).to_string() };
        let names = [ty.to_string(), canonical(ty)];
        self.defaults.iter().any(|(d, keys)| {
            let defaults = [d.clone(), canonical(d)];
            keys.contains(property)
                && names.iter().any(|t| {
                    defaults.iter().any(|d| {
                        t == d
                            || t.strip_prefix(d.as_str())
                                .is_some_and(|r| r.starts_with('.'))
                    })
                })
        })
    }

    /// The original (untransformed) subschema for a relative instance path.
    fn schema_at(&self, def: usize, node: &Node, rel: &str) -> Option<&'s Value> {
        let mut schema: &'s Value = self.schema.definition(def)?;
        let mut current = node;
        for raw in rel.split('/').skip(1) {
            let seg = raw.replace("~1", "/").replace("~0", "~");
            schema = self.resolve(schema)?;
            match &current.kind {
                NodeKind::Map(_) => {
                    current = current.get(&seg)?;
                    let next = schema
                        .get("properties")
                        .and_then(|p| p.get(&seg))
                        .or_else(|| self.branch_property(schema, &seg))
                        .or_else(|| schema.get("additionalProperties"))?;
                    schema = next;
                }
                NodeKind::Seq(items) => {
                    current = items.get(seg.parse::<usize>().ok()?)?;
                    schema = schema.get("items")?;
                }
                _ => return None,
            }
        }
        Some(schema)
    }

    fn resolve(&self, schema: &'s Value) -> Option<&'s Value> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) if self.schema.union_members(schema).is_none() => self
                .schema
                .resolve_ref(r)
                .and_then(|i| self.schema.definition(i)),
            _ => Some(schema),
        }
    }

    /// A property schema found in an `allOf`/`anyOf` branch.
    fn branch_property(&self, schema: &'s Value, name: &str) -> Option<&'s Value> {
        ["allOf", "anyOf", "oneOf"]
            .iter()
            .filter_map(|k| schema.get(*k)?.as_array())
            .flatten()
            .find_map(|b| {
                let b = self.resolve(b)?;
                b.get("properties")?.get(name)
            })
    }

    /// Walk schema and instance together: report unknown and deprecated properties, and
    /// queue nested polymorphic values (tasks are left to the flow view's walker).
    fn walk(
        &mut self,
        schema: &'s Value,
        node: &'n Node,
        pointer: String,
        owner: &str,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        if let Some(members) = self.schema.union_members(schema) {
            if members[..] != self.task_members[..] && node.as_map().is_some() {
                let what = union_word(self.schema, schema, &pointer);
                self.work.push((node, pointer, members, what, self.schema));
            }
            return;
        }
        let Some(schema) = self.resolve(schema) else {
            return;
        };
        match &node.kind {
            NodeKind::Map(entries) => {
                // `anyOf`/`oneOf` of shapes: follow the branch that describes a mapping.
                if !has_properties(schema) {
                    if let Some(branch) = self.object_branch(schema) {
                        self.walk(branch, node, pointer, owner, depth + 1);
                        return;
                    }
                }
                let props = self.properties(schema);
                let additional = schema.get("additionalProperties");
                let closed = !props.is_empty()
                    && additional.is_none_or(|a| a == &Value::Bool(false))
                    && schema.get("patternProperties").is_none();
                for entry in entries {
                    let Some(key) = entry.key_str() else { continue };
                    let child_pointer = format!("{pointer}/{}", escape(key));
                    match props.iter().find(|(n, _)| *n == key) {
                        Some((_, prop)) => {
                            if prop.get("$deprecated") == Some(&Value::Bool(true)) {
                                let current = props.iter().filter(|(n, p)| {
                                    *n != key && p.get("$deprecated") != Some(&Value::Bool(true))
                                });
                                // Renames the names do not show: an input's `name` became `id`.
                                let replacement = if key == "taskDefaults" {
                                    Some("pluginDefaults")
                                } else if key == "name" && props.iter().any(|(n, _)| *n == "id") {
                                    Some("id")
                                } else {
                                    crate::suggest::closest(key, current.map(|(n, _)| *n))
                                }
                                // A guessed name is a replacement only when it holds the
                                // same kind of value: JDBC's boolean `fetch` is not the
                                // integer `fetchSize` it is spelt like.
                                .filter(|r| {
                                    props
                                        .iter()
                                        .any(|(n, p)| n == r && p.get("type") == prop.get("type"))
                                })
                                .map(|r| {
                                    let present = entries.iter().any(|e| e.key_str() == Some(r));
                                    (r.to_string(), present)
                                });
                                self.push(
                                    FindingKind::DeprecatedProperty {
                                        name: key.to_string(),
                                        owner: owner.to_string(),
                                        replacement,
                                    },
                                    entry.key.span.clone(),
                                    &child_pointer,
                                );
                            }
                            if prop.get("$dynamic") == Some(&Value::Bool(false))
                                && entry
                                    .value
                                    .as_str()
                                    .is_some_and(|t| t.contains("{{") || t.contains("{%"))
                            {
                                self.push(
                                    FindingKind::StaticExpression {
                                        name: key.to_string(),
                                    },
                                    entry.value.span.clone(),
                                    &child_pointer,
                                );
                            }
                            if is_duration(prop) {
                                self.check_duration(&entry.value, &child_pointer);
                            }
                            let prop: &'s Value = prop;
                            let child_owner = format!("`{key}` of {owner}");
                            self.walk(prop, &entry.value, child_pointer, &child_owner, depth + 1);
                        }
                        None if closed => {
                            let known: Vec<String> =
                                props.iter().map(|(n, _)| n.to_string()).collect();
                            let suggestion =
                                crate::suggest::closest(key, known.iter().map(String::as_str))
                                    .map(str::to_string);
                            self.push(
                                FindingKind::UnknownProperty {
                                    name: key.to_string(),
                                    owner: owner.to_string(),
                                    suggestion,
                                    known,
                                },
                                entry.key.span.clone(),
                                &child_pointer,
                            );
                        }
                        None => {
                            if let Some(a) = additional.filter(|a| a.is_object()) {
                                self.walk(a, &entry.value, child_pointer, owner, depth + 1);
                            }
                        }
                    }
                }
            }
            NodeKind::Seq(items) => {
                let item_schema = match schema.get("items") {
                    Some(i) => i,
                    None => match self.array_branch(schema).and_then(|b| b.get("items")) {
                        Some(i) => i,
                        None => return,
                    },
                };
                for (i, item) in items.iter().enumerate() {
                    self.walk(
                        item_schema,
                        item,
                        format!("{pointer}/{i}"),
                        owner,
                        depth + 1,
                    );
                }
            }
            _ => {}
        }
    }

    /// A literal duration must be one Java's `Duration.parse` reads (Kestra parses it when the
    /// flow is saved, or when the task renders it); expressions are left alone.
    fn check_duration(&mut self, value: &'n Node, pointer: &str) {
        let Some(text) = value.as_str() else { return };
        // An input's `defaults` is K505's, with Kestra's own message.
        let input_default = pointer.starts_with("/inputs/") && pointer.ends_with("/defaults");
        if input_default || text.contains("{{") || text.contains("{%") {
            return;
        }
        if let Err(reason) = crate::facts::literals::check_duration(text) {
            self.push(
                FindingKind::InvalidDuration {
                    value: text.to_string(),
                    reason,
                    suggestion: crate::facts::literals::iso_duration(text),
                },
                value.span.clone(),
                pointer,
            );
        }
    }

    /// Property schemas of an object schema, including those of `allOf` branches.
    fn properties(&self, schema: &'s Value) -> Vec<(&'s str, &'s Value)> {
        let mut out: Vec<(&'s str, &'s Value)> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default();
        for branch in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(b) = self.resolve(branch) {
                for (k, v) in self.properties(b) {
                    if !out.iter().any(|(n, _)| *n == k) {
                        out.push((k, v));
                    }
                }
            }
        }
        out
    }

    fn object_branch(&self, schema: &'s Value) -> Option<&'s Value> {
        self.branch_where(schema, |b| {
            has_properties(b) || b.get("type").and_then(Value::as_str) == Some("object")
        })
    }

    fn array_branch(&self, schema: &'s Value) -> Option<&'s Value> {
        self.branch_where(schema, |b| {
            b.get("type").and_then(Value::as_str) == Some("array")
        })
    }

    fn branch_where(&self, schema: &'s Value, pred: impl Fn(&Value) -> bool) -> Option<&'s Value> {
        ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| schema.get(*k)?.as_array())
            .flatten()
            .find_map(|b| {
                if self.schema.union_members(b).is_some() {
                    return Some(b);
                }
                let r = self.resolve(b)?;
                pred(r).then_some(r)
            })
    }
}

/// The allowed values of a property that is an enum, possibly also accepting an expression.
fn enum_of(schema: &Value) -> Option<Value> {
    if let Some(e) = schema.get("enum") {
        return Some(e.clone());
    }
    let branches = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))?
        .as_array()?;
    let mut enums = branches.iter().filter_map(|b| b.get("enum"));
    let first = enums.next()?.clone();
    let others_are_expressions = branches.iter().all(|b| {
        b.get("enum").is_some()
            || b.get("pattern")
                .and_then(Value::as_str)
                .is_some_and(evaluate::is_expression_pattern)
    });
    (enums.next().is_none() && others_are_expressions).then_some(first)
}

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn has_properties(schema: &Value) -> bool {
    schema.get("properties").is_some() || schema.get("allOf").is_some()
}

/// The base definition of the kinds that may be looked up across layers.
fn base_of(what: &str) -> Option<&'static str> {
    match what {
        "task" => Some("io.kestra.core.models.tasks.Task"),
        "trigger" => Some("io.kestra.core.models.triggers.AbstractTrigger"),
        "condition" => Some("io.kestra.core.models.conditions.Condition"),
        "task runner" => Some("io.kestra.core.models.tasks.runners.TaskRunner"),
        _ => None,
    }
}

/// What a union holds, named from its base definition, else from the property holding it.
fn union_word(schema: &Schema, value: &Value, pointer: &str) -> &'static str {
    let key = value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| schema.resolve_ref(r))
        .map(|i| schema.key(i).to_string())
        .unwrap_or_default();
    let last = key.rsplit('.').next().unwrap_or("");
    match last {
        "AbstractTrigger" => "trigger",
        "Condition" | "ScheduleCondition" => "condition",
        "Input" => "input",
        "AbstractRetry" => "retry",
        "TaskRunner" => "task runner",
        "Task" => "task",
        _ => {
            let property = pointer.rsplit('/').find(|s| s.parse::<usize>().is_err());
            match property.unwrap_or("") {
                "triggers" => "trigger",
                "conditions" | "scheduleConditions" => "condition",
                "inputs" => "input",
                "retry" => "retry",
                "taskRunner" => "task runner",
                "tasks" | "errors" | "finally" | "then" | "else" => "task",
                _ => "object",
            }
        }
    }
}

/// Where to point when an object as a whole is wrong: `type`, else `id`, else its first key.
fn anchor_span(node: &Node) -> Span {
    node.entry("type")
        .or_else(|| node.entry("id"))
        .map(|e| e.key.span.start..e.value.span.end)
        .or_else(|| node.as_map()?.first().map(|e| e.key.span.clone()))
        .unwrap_or(node.span.start..node.span.start)
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn article(t: &str) -> String {
    match t {
        "integer" => "an integer".into(),
        "array" => "a list".into(),
        "object" => "a mapping".into(),
        "null" => "null".into(),
        other => format!("a {other}"),
    }
}

/// Kestra (Jackson) coerces scalars: `8080` is a fine string, `"8080"` a fine integer.
fn coerces(node: &Node, expected: &[&str]) -> bool {
    let Some(scalar) = node.as_scalar() else {
        return false;
    };
    expected.iter().any(|t| match (*t, scalar.value) {
        ("string", ScalarValue::Int(_) | ScalarValue::Float(_) | ScalarValue::Bool(_)) => true,
        ("integer", ScalarValue::Str) => scalar.text.trim().parse::<i64>().is_ok(),
        ("number", ScalarValue::Str) => scalar.text.trim().parse::<f64>().is_ok(),
        ("number", ScalarValue::Int(_)) => true,
        ("boolean", ScalarValue::Str) => {
            matches!(
                scalar.text.trim().to_ascii_lowercase().as_str(),
                "true" | "false"
            )
        }
        _ => false,
    })
}

/// The same coercion, read from a description ("an integer or a `{{ … }}` expression").
fn scalar_fits(node: &Node, expected: &str) -> bool {
    let mut types = Vec::new();
    for (phrase, t) in [
        ("a string", "string"),
        ("an integer", "integer"),
        ("a number", "number"),
        ("a boolean", "boolean"),
        ("duration", "string"),
    ] {
        if expected.contains(phrase) {
            types.push(t);
        }
    }
    coerces(node, &types)
}

fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn describe_limit(kind: &ViolationKind, node: &Node) -> String {
    match kind {
        ViolationKind::Minimum { limit } => format!("must be at least {limit}"),
        ViolationKind::Maximum { limit } => format!("must be at most {limit}"),
        ViolationKind::ExclusiveMinimum { limit } => format!("must be greater than {limit}"),
        ViolationKind::ExclusiveMaximum { limit } => format!("must be less than {limit}"),
        ViolationKind::MultipleOf { factor } => format!("must be a multiple of {factor}"),
        ViolationKind::MinLength { limit } => {
            format!("must be at least {limit} character(s) long")
        }
        ViolationKind::MaxLength { limit } => {
            format!("must be at most {limit} characters long")
        }
        ViolationKind::MinItems { limit } => {
            if *limit == 1 {
                "must not be empty".to_string()
            } else {
                format!("must have at least {limit} items")
            }
        }
        ViolationKind::MaxItems { limit } => format!("must have at most {limit} items"),
        ViolationKind::UniqueItems => "items must be unique".to_string(),
        ViolationKind::Contains => "has no item of the expected shape".to_string(),
        ViolationKind::MinProperties { limit } => {
            format!("must have at least {limit} entries")
        }
        ViolationKind::MaxProperties { limit } => format!("must have at most {limit} entries"),
        ViolationKind::OneOfMany => {
            format!(
                "{} matches more than one of the shapes allowed here",
                node.kind_name()
            )
        }
        ViolationKind::PropertyName { name } => format!("`{name}` is not an allowed key here"),
        _ => format!("{} is not allowed here", node.kind_name()),
    }
}

/// Does a property schema say `format: duration` (directly or in one of its `anyOf` shapes)?
fn is_duration(prop: &Value) -> bool {
    let direct = |v: &Value| v.get("format").and_then(Value::as_str) == Some("duration");
    direct(prop)
        || ["anyOf", "oneOf"].iter().any(|k| {
            prop.get(*k)
                .and_then(Value::as_array)
                .is_some_and(|bs| bs.iter().any(direct))
        })
}
