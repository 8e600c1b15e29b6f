//! Document symbols: the flow's sections with their inputs, triggers and the task tree.

use lsp_types as lsp;

use super::text::LineIndex;
use crate::flow::Flow;
use crate::workspace::Document;

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
fn symbol(
    name: String,
    detail: Option<String>,
    kind: lsp::SymbolKind,
    range: lsp::Range,
    selection: lsp::Range,
    children: Vec<lsp::DocumentSymbol>,
) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: if name.is_empty() {
            "(unnamed)".into()
        } else {
            name
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn symbols(doc: &Document) -> Vec<lsp::DocumentSymbol> {
    let Some(flow) = doc.flow() else {
        return Vec::new();
    };
    let index = LineIndex::new(doc.text());
    let Some(entries) = flow.root.as_map() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries {
        let Some(key) = entry.key_str() else { continue };
        let range =
            index.range(&(entry.key.span.start..entry.value.span.end.max(entry.key.span.end)));
        let selection = index.range(&entry.key.span);
        let pointer = format!("/{key}/");
        let children = match key {
            "tasks" | "errors" | "finally" | "afterExecution" => {
                task_children(&flow, &index, None, &pointer)
            }
            "inputs" => items(&flow.inputs, &index, lsp::SymbolKind::VARIABLE, true),
            "triggers" => items(&flow.triggers, &index, lsp::SymbolKind::EVENT, false),
            "outputs" => items(&flow.outputs, &index, lsp::SymbolKind::PROPERTY, false),
            "variables" => entry
                .value
                .as_map()
                .unwrap_or_default()
                .iter()
                .filter_map(|v| {
                    Some(symbol(
                        v.key_str()?.to_string(),
                        None,
                        lsp::SymbolKind::CONSTANT,
                        index.range(&(v.key.span.start..v.value.span.end.max(v.key.span.end))),
                        index.range(&v.key.span),
                        Vec::new(),
                    ))
                })
                .collect(),
            _ => Vec::new(),
        };
        let (kind, detail) = match key {
            "id" | "namespace" => (
                lsp::SymbolKind::KEY,
                entry.value.scalar_text().map(str::to_string),
            ),
            _ if children.is_empty() => (lsp::SymbolKind::PROPERTY, None),
            _ => (lsp::SymbolKind::NAMESPACE, None),
        };
        out.push(symbol(
            key.to_string(),
            detail,
            kind,
            range,
            selection,
            children,
        ));
    }
    out
}

fn items(
    items: &[crate::flow::Item<'_>],
    index: &LineIndex<'_>,
    kind: lsp::SymbolKind,
    input: bool,
) -> Vec<lsp::DocumentSymbol> {
    items
        .iter()
        .map(|i| {
            let id_node = if input {
                i.input_id_node()
            } else {
                i.id_node()
            };
            let name = id_node
                .and_then(|n| n.scalar_text())
                .unwrap_or("")
                .to_string();
            let selection = id_node.map_or(i.node.span.clone(), |n| n.span.clone());
            symbol(
                name,
                i.type_name().map(str::to_string),
                kind,
                index.range(&i.node.span),
                index.range(&selection),
                Vec::new(),
            )
        })
        .collect()
}

/// The tasks whose parent is `parent` (top-level tasks of the section at `pointer`), each with
/// its own children.
fn task_children(
    flow: &Flow<'_>,
    index: &LineIndex<'_>,
    parent: Option<usize>,
    pointer: &str,
) -> Vec<lsp::DocumentSymbol> {
    flow.tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.parent == parent && (parent.is_some() || t.pointer.starts_with(pointer)))
        .map(|(i, t)| {
            let selection = t.id_node().map_or(t.node.span.clone(), |n| n.span.clone());
            symbol(
                t.id().unwrap_or("").to_string(),
                t.type_name().map(str::to_string),
                lsp::SymbolKind::FUNCTION,
                index.range(&t.node.span),
                index.range(&selection),
                task_children(flow, index, Some(i), pointer),
            )
        })
        .collect()
}
