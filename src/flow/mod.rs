//! The flow view: a typed, borrowing look at one flow, with spans, so rules never dig in raw
//! YAML. It finds every task in the tree once (tasks, errors, finally, afterExecution, listener
//! tasks and every flowable child list), with its JSON pointer and parent.

pub mod graph;
pub mod loops;
pub mod summary;
pub mod templates;
pub mod types;
pub mod values;
mod walk;

use crate::diagnostic::Span;
use crate::yaml::{Entry, Node};

pub use walk::Section;

/// Top-level keys of Kestra's Flow model (1.x and 2.0), used to tell a flow from other YAML.
pub const FLOW_KEYS: &[&str] = &[
    "id",
    "namespace",
    "revision",
    "description",
    "labels",
    "inputs",
    "outputs",
    "variables",
    "tasks",
    "errors",
    "finally",
    "afterExecution",
    "listeners",
    "triggers",
    "pluginDefaults",
    "taskDefaults",
    "disabled",
    "deleted",
    "concurrency",
    "retry",
    "sla",
    "checks",
    "workerGroup",
    "tenantId",
    // Kestra 2.0.
    "workerSelector",
    "policyRefs",
    "draft",
    "quotas",
];

/// Is this YAML root a Kestra flow? It must be a mapping with `id` and `namespace`, and either
/// `tasks`/`triggers` or nothing but Flow keys (so an empty flow is still linted, while other
/// YAML that happens to have `id` and `namespace` is skipped).
pub fn is_flow(root: &Node) -> bool {
    let Some(entries) = root.as_map() else {
        return false;
    };
    let has = |k: &str| entries.iter().any(|e| e.key_str() == Some(k));
    if !(has("id") && has("namespace")) {
        return false;
    }
    has("tasks")
        || has("triggers")
        || entries
            .iter()
            .all(|e| e.key_str().is_some_and(|k| FLOW_KEYS.contains(&k)))
}

/// A mapping in a list, with where it sits (`/triggers/0`).
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub node: &'a Node,
    pub pointer: String,
}

impl<'a> Item<'a> {
    /// The `id` value node.
    pub fn id_node(&self) -> Option<&'a Node> {
        self.node.get("id")
    }

    pub fn id(&self) -> Option<&'a str> {
        self.node.get_str("id")
    }

    /// An input's id, or the deprecated `name` that still sets it in Kestra 1.x.
    pub fn input_id_node(&self) -> Option<&'a Node> {
        self.node.get("id").or_else(|| self.node.get("name"))
    }

    pub fn input_id(&self) -> Option<&'a str> {
        self.input_id_node().and_then(Node::scalar_text)
    }

    pub fn type_node(&self) -> Option<&'a Node> {
        self.node.get("type")
    }

    pub fn type_name(&self) -> Option<&'a str> {
        self.node.get_str("type")
    }

    /// Where to point when the item as a whole is wrong: its `id` value, else its `type` value,
    /// else its first line.
    pub fn anchor_span(&self) -> Span {
        self.id_node()
            .or_else(|| self.type_node())
            .map(|n| n.span.clone())
            .unwrap_or_else(|| self.node.span.start..self.node.span.start)
    }
}

/// One task anywhere in the tree.
#[derive(Debug, Clone)]
pub struct Task<'a> {
    pub item: Item<'a>,
    /// Index of the parent task in [`Flow::tasks`], `None` at the top of a section.
    pub parent: Option<usize>,
    pub section: Section,
    /// The key of the list holding this task (`tasks`, `then`, `errors`, `cases`, …).
    pub container: &'a str,
}

impl<'a> std::ops::Deref for Task<'a> {
    type Target = Item<'a>;
    fn deref(&self) -> &Item<'a> {
        &self.item
    }
}

/// A flow label, from either the map form or the list-of-`{key, value}` form.
#[derive(Debug, Clone)]
pub struct Label<'a> {
    pub key: &'a str,
    pub key_span: Span,
    pub value: Option<&'a Node>,
}

/// The typed view of one flow.
#[derive(Debug)]
pub struct Flow<'a> {
    pub root: &'a Node,
    pub tasks: Vec<Task<'a>>,
    pub triggers: Vec<Item<'a>>,
    pub inputs: Vec<Item<'a>>,
    pub outputs: Vec<Item<'a>>,
    pub labels: Vec<Label<'a>>,
}

impl<'a> Flow<'a> {
    /// The tasks above task `index`, innermost first. A parent index always points up the
    /// tree; the bound guards against a malformed view.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let mut current = self.tasks.get(index).and_then(|t| t.parent);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let i = current?;
            steps += 1;
            if steps > self.tasks.len() {
                return None;
            }
            current = self.tasks.get(i).and_then(|t| t.parent);
            Some(i)
        })
    }

    pub fn new(root: &'a Node) -> Self {
        Self {
            root,
            tasks: walk::collect_tasks(root),
            triggers: list_items(root, "triggers"),
            inputs: list_items(root, "inputs"),
            outputs: list_items(root, "outputs"),
            labels: labels_of(root),
        }
    }

    /// A top-level entry (`id`, `namespace`, `tasks`, …) with its key and value spans.
    pub fn entry(&self, key: &str) -> Option<&'a Entry> {
        self.root.entry(key)
    }

    pub fn id(&self) -> Option<&'a str> {
        self.root.get_str("id")
    }

    pub fn namespace(&self) -> Option<&'a str> {
        self.root.get_str("namespace")
    }

    pub fn variables(&self) -> Option<&'a Node> {
        self.root.get("variables")
    }

    /// Triggers of one type (its canonical name; an old alias counts as that type).
    pub fn triggers_of_type<'s>(
        &'s self,
        canonical: &'s str,
    ) -> impl Iterator<Item = &'s Item<'a>> + 's {
        self.triggers
            .iter()
            .filter(move |t| t.type_name().is_some_and(|ty| types::is(ty, canonical)))
    }

    /// Tasks whose `type` is one of `types` (canonical names or aliases).
    pub fn tasks_of_type<'s>(
        &'s self,
        types: &'s [&'s str],
    ) -> impl Iterator<Item = (usize, &'s Task<'a>)> + 's {
        self.tasks
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.type_name().is_some_and(|ty| types.contains(&ty)))
    }
}

fn list_items<'a>(root: &'a Node, key: &str) -> Vec<Item<'a>> {
    let Some(items) = root.get(key).and_then(Node::as_seq) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_map().is_some())
        .map(|(i, node)| Item {
            node,
            pointer: format!("/{key}/{i}"),
        })
        .collect()
}

/// The `labels` of a flow, trigger or task (Subflow, ForEachItem), in either form.
pub fn labels_of(owner: &Node) -> Vec<Label<'_>> {
    let Some(labels) = owner.get("labels") else {
        return Vec::new();
    };
    if let Some(entries) = labels.as_map() {
        return entries
            .iter()
            .filter_map(|e| {
                Some(Label {
                    key: e.key_str()?,
                    key_span: e.key.span.clone(),
                    value: Some(&e.value),
                })
            })
            .collect();
    }
    labels
        .as_seq()
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let key = item.get("key")?;
            Some(Label {
                key: key.scalar_text()?,
                key_span: key.span.clone(),
                value: item.get("value"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
