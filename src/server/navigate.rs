//! Go to definition and find references for what a flow names: `outputs.<taskId>`,
//! `inputs.<id>`, `vars.<name>`, `dependsOn` entries, and Subflow targets across the workspace
//! (through the repository index).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types as lsp;

use super::locate::{locate, Step};
use super::text::{path_to_uri, LineIndex};
use crate::diagnostic::Span;
use crate::flow::Flow;
use crate::workspace::{Document, RepoIndex};
use crate::yaml::{Node, NodeKind};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Task(String),
    Input(String),
    Var(String),
    Flow { namespace: String, id: String },
}

pub fn definition(
    index: &RepoIndex,
    open: &HashMap<PathBuf, String>,
    doc: &Document,
    uri: &lsp::Uri,
    position: lsp::Position,
) -> Vec<lsp::Location> {
    let Some((target, _)) = target_at(doc, position) else {
        return Vec::new();
    };
    match &target {
        Target::Flow { namespace, id } => index
            .find(namespace, id)
            .into_iter()
            .filter_map(|path| flow_id_location(open, path))
            .collect(),
        _ => doc
            .flow()
            .and_then(|flow| declaration(&flow, &target))
            .map(|span| location(uri, doc.text(), &span))
            .into_iter()
            .collect(),
    }
}

pub fn references(
    index: &RepoIndex,
    open: &HashMap<PathBuf, String>,
    doc: &Document,
    uri: &lsp::Uri,
    position: lsp::Position,
    include_declaration: bool,
) -> Vec<lsp::Location> {
    let Some((target, _)) = target_at(doc, position) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Target::Flow { namespace, id } = &target {
        if include_declaration {
            out.extend(
                index
                    .find(namespace, id)
                    .into_iter()
                    .filter_map(|p| flow_id_location(open, p)),
            );
        }
        for path in index.callers(namespace, id) {
            let Some(text) = text_of(open, path) else {
                continue;
            };
            let parsed = crate::yaml::parse(&text);
            let Some(root) = parsed.root.as_ref() else {
                continue;
            };
            let Ok(caller_uri) = path_to_uri(path).parse::<lsp::Uri>() else {
                continue;
            };
            for call in crate::flow::summary::subflow_calls(&Flow::new(root)) {
                if &call.namespace == namespace && &call.flow_id == id {
                    out.push(location(&caller_uri, &text, &call.span));
                }
            }
        }
        return out;
    }
    let Some(flow) = doc.flow() else {
        return out;
    };
    if include_declaration {
        out.extend(declaration(&flow, &target).map(|s| location(uri, doc.text(), &s)));
    }
    for span in uses(doc, &flow, &target) {
        out.push(location(uri, doc.text(), &span));
    }
    out
}

fn location(uri: &lsp::Uri, text: &str, span: &Span) -> lsp::Location {
    lsp::Location::new(uri.clone(), LineIndex::new(text).range(span))
}

fn text_of(open: &HashMap<PathBuf, String>, path: &Path) -> Option<String> {
    open.get(path)
        .cloned()
        .or_else(|| std::fs::read_to_string(path).ok())
}

/// The `id` value of the flow in the file at `path`.
fn flow_id_location(open: &HashMap<PathBuf, String>, path: &Path) -> Option<lsp::Location> {
    let text = text_of(open, path)?;
    let parsed = crate::yaml::parse(&text);
    let span = parsed.root.as_ref()?.get("id")?.span.clone();
    let uri = path_to_uri(path).parse().ok()?;
    Some(location(&uri, &text, &span))
}

/// Where `target` is declared in this flow.
fn declaration(flow: &Flow<'_>, target: &Target) -> Option<Span> {
    match target {
        Target::Task(id) => flow
            .tasks
            .iter()
            .find(|t| t.id() == Some(id))
            .and_then(|t| t.id_node())
            .map(|n| n.span.clone()),
        Target::Input(id) => flow
            .inputs
            .iter()
            .find(|i| i.input_id() == Some(id))
            .and_then(|i| i.input_id_node())
            .map(|n| n.span.clone()),
        Target::Var(name) => flow.variables()?.entry(name).map(|e| e.key.span.clone()),
        Target::Flow { .. } => None,
    }
}

/// What is under the cursor, and whether it is the declaration itself.
fn target_at(doc: &Document, position: lsp::Position) -> Option<(Target, bool)> {
    let text = doc.text();
    let offset = LineIndex::new(text).offset(position);
    let flow = doc.flow()?;
    // An expression: `{{ outputs.fetch.body }}`.
    for ps in crate::flow::templates::collect(text, &flow, false) {
        if !(ps.node.span.start <= offset && offset <= ps.node.span.end) {
            continue;
        }
        for r in crate::pebble::refs::references(&ps.template) {
            let span = ps.file_span(r.span.clone());
            if !(span.start <= offset && offset <= span.end) {
                continue;
            }
            let first = r.segments.first().and_then(|s| s.name.clone());
            let target = match (r.root.as_str(), first) {
                ("outputs" | "tasks", Some(id)) => Target::Task(id),
                ("inputs", Some(id)) => Target::Input(id),
                ("vars", Some(name)) => Target::Var(name),
                _ => continue,
            };
            return Some((target, false));
        }
    }
    let found = locate(flow.root, offset);
    let entry = found.entry()?;
    let key = entry.key_str()?;
    let map = found.parent_map()?;
    // A variable's own key.
    if found.on_key {
        if found.steps.len() == 2 {
            if let Step::Key(top) = found.steps[0] {
                if top.key_str() == Some("variables") {
                    return Some((Target::Var(key.to_string()), true));
                }
            }
        }
        return None;
    }
    let value = found.nodes.last()?.scalar_text();
    let in_depends_on = found
        .steps
        .iter()
        .position(|s| matches!(s, Step::Key(e) if e.key_str() == Some("dependsOn")));
    if let (Some(at), Some(value)) = (in_depends_on, value) {
        let under_inputs = found.steps[at + 1..]
            .iter()
            .any(|s| matches!(s, Step::Key(e) if e.key_str() == Some("inputs")));
        let is_task = flow.tasks.iter().any(|t| t.id() == Some(value));
        let target = if is_task && !under_inputs {
            Target::Task(value.to_string())
        } else {
            Target::Input(value.to_string())
        };
        return Some((target, false));
    }
    let value = entry.value.scalar_text()?;
    let is_subflow = map
        .get_str("type")
        .is_some_and(crate::flow::types::is_subflow_call);
    if is_subflow && matches!(key, "flowId" | "namespace") {
        return Some((
            Target::Flow {
                namespace: map.get_str("namespace")?.to_string(),
                id: map.get_str("flowId")?.to_string(),
            },
            false,
        ));
    }
    if key == "id" {
        if std::ptr::eq(map, flow.root) {
            return Some((
                Target::Flow {
                    namespace: flow.namespace()?.to_string(),
                    id: value.to_string(),
                },
                true,
            ));
        }
        if flow.tasks.iter().any(|t| std::ptr::eq(t.node, map)) {
            return Some((Target::Task(value.to_string()), true));
        }
        if flow.inputs.iter().any(|i| std::ptr::eq(i.node, map)) {
            return Some((Target::Input(value.to_string()), true));
        }
    }
    None
}

/// Every use of `target` in the flow: expressions and `dependsOn` entries.
fn uses(doc: &Document, flow: &Flow<'_>, target: &Target) -> Vec<Span> {
    let text = doc.text();
    let mut out = Vec::new();
    for ps in crate::flow::templates::collect(text, flow, false) {
        for r in crate::pebble::refs::references(&ps.template) {
            let Some(first) = r.segments.first() else {
                continue;
            };
            let Some(name) = first.name.as_deref() else {
                continue;
            };
            let hit = match (r.root.as_str(), target) {
                ("outputs" | "tasks", Target::Task(id)) => name == id,
                ("inputs", Target::Input(id)) => name == id,
                ("vars", Target::Var(v)) => name == v,
                _ => false,
            };
            if hit {
                out.push(ps.segment_span(first));
            }
        }
    }
    depends_on(flow.root, target, false, &mut out);
    out
}

/// `dependsOn` entries naming `target` (Dag tasks, and inputs' `dependsOn.inputs`).
fn depends_on(node: &Node, target: &Target, under: bool, out: &mut Vec<Span>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                let key = e.key_str();
                let under_here = under || key == Some("dependsOn");
                depends_on(&e.value, target, under_here, out);
            }
        }
        NodeKind::Seq(items) => {
            for item in items {
                if under {
                    let hit = match (item.scalar_text(), target) {
                        (Some(v), Target::Task(id) | Target::Input(id)) => v == id,
                        _ => false,
                    };
                    if hit {
                        out.push(item.span.clone());
                        continue;
                    }
                }
                depends_on(item, target, under, out);
            }
        }
        _ => {}
    }
}
