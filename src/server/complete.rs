//! Completion: `type` values, the property keys of the type at hand, enum values, and inside
//! `{{ }}` the expression context: `inputs.`, `outputs.`, `vars.`, `taskrun.`, `trigger.` with
//! this flow's ids and a task's outputs where the schema knows them.

use lsp_types as lsp;
use serde_json::Value;

use super::hover::{describe_property, enum_values, store_for, text_of};
use super::locate::{maps_with_paths, resolve, schema_path, type_choices, Step};
use super::text::LineIndex;
use crate::flow::Flow;
use crate::schema::describe;
use crate::workspace::{Document, Workspace};
use crate::yaml::Node;

pub fn complete(
    workspace: &Workspace,
    doc: &Document,
    position: lsp::Position,
) -> lsp::CompletionResponse {
    let text = doc.text();
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let items = if let Some(expr) = open_expression(text, offset) {
        expression_items(workspace, doc, expr)
    } else {
        yaml_items(workspace, doc, line_start, before)
    };
    lsp::CompletionResponse::Array(items)
}

/// The expression text before the cursor when it is inside `{{ … }}` (not closed yet).
fn open_expression(text: &str, offset: usize) -> Option<&str> {
    let before = &text[..offset];
    let open = before.rfind("{{")?;
    if before[open..].contains("}}") {
        return None;
    }
    Some(&before[open + 2..])
}

fn item(label: &str, kind: lsp::CompletionItemKind, detail: Option<String>) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..Default::default()
    }
}

/// `outputs.fetch.` → `["outputs", "fetch", ""]`: the dotted path being typed.
fn dotted_path(expr: &str) -> Vec<&str> {
    let start = expr
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    expr[start..].split('.').collect()
}

fn expression_items(workspace: &Workspace, doc: &Document, expr: &str) -> Vec<lsp::CompletionItem> {
    use lsp::CompletionItemKind as K;
    let path = dotted_path(expr);
    let flow = doc.flow();
    match path.as_slice() {
        [_] => crate::pebble::names::ROOT_VARIABLES
            .iter()
            .map(|r| item(r.name, K::VARIABLE, Some("expression context".into())))
            .collect(),
        ["outputs" | "tasks", _] => flow
            .iter()
            .flat_map(|f| f.tasks.iter())
            .filter_map(|t| Some(item(t.id()?, K::FIELD, t.type_name().map(str::to_string))))
            .collect(),
        ["outputs", task, _] => {
            let Some(store) = store_for(workspace, doc) else {
                return Vec::new();
            };
            let Some(ty) = flow
                .as_ref()
                .and_then(|f| f.tasks.iter().find(|t| t.id() == Some(task)))
                .and_then(|t| t.type_name())
            else {
                return Vec::new();
            };
            store
                .outputs(ty)
                .unwrap_or_default()
                .iter()
                .map(|o| item(o, K::FIELD, Some(format!("output of {ty}"))))
                .collect()
        }
        ["inputs", _] => flow
            .iter()
            .flat_map(|f| f.inputs.iter())
            .filter_map(|i| {
                Some(item(
                    i.input_id()?,
                    K::FIELD,
                    i.type_name().map(str::to_string),
                ))
            })
            .collect(),
        ["vars", _] => flow
            .as_ref()
            .and_then(Flow::variables)
            .and_then(Node::as_map)
            .into_iter()
            .flatten()
            .filter_map(|e| Some(item(e.key_str()?, K::FIELD, Some("flow variable".into()))))
            .collect(),
        ["trigger", _] => trigger_items(flow.as_ref()),
        [root, _] => crate::pebble::names::root_variable(root)
            .and_then(|r| r.attributes)
            .unwrap_or_default()
            .iter()
            .map(|a| item(a, K::FIELD, Some(format!("{root}.{a}"))))
            .collect(),
        _ => Vec::new(),
    }
}

/// `trigger.*` depends on the flow's trigger types: what each kind of trigger sets.
fn trigger_items(flow: Option<&Flow<'_>>) -> Vec<lsp::CompletionItem> {
    let mut names: Vec<&str> = Vec::new();
    for t in flow.iter().flat_map(|f| f.triggers.iter()) {
        let ty = t.type_name().unwrap_or("");
        let canonical = crate::flow::types::canonical(ty);
        names.extend(match canonical.rsplit('.').next().unwrap_or("") {
            "Schedule" | "ScheduleOnDates" => &["date", "next", "previous"][..],
            "Webhook" => &["body", "headers", "parameters"][..],
            "Flow" => &[
                "executionId",
                "namespace",
                "flowId",
                "flowRevision",
                "state",
                "outputs",
            ][..],
            _ => &[][..],
        });
    }
    if names.is_empty() {
        names.extend(["date", "next", "previous", "body", "executionId"]);
    }
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|n| {
            item(
                n,
                lsp::CompletionItemKind::FIELD,
                Some(format!("trigger.{n}")),
            )
        })
        .collect()
}

fn yaml_items(
    workspace: &Workspace,
    doc: &Document,
    line_start: usize,
    before: &str,
) -> Vec<lsp::CompletionItem> {
    // A key being typed (`  mes`) often breaks the YAML: complete against the text without
    // the cursor's line then (offsets before it are the same).
    let patched;
    let root = match doc.yaml.as_ref().and_then(|y| y.root.as_ref()) {
        Some(root) => root,
        None => {
            let text = doc.text();
            let end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            let mut blank = text[..line_start].to_string();
            blank.push_str(&text[end..]);
            patched = crate::yaml::parse(&blank);
            match patched.root.as_ref() {
                Some(root) => root,
                None => return Vec::new(),
            }
        }
    };
    let Some(store) = store_for(workspace, doc) else {
        return Vec::new();
    };
    let trimmed = before.trim_start_matches(' ');
    let (dash, rest) = match trimmed.strip_prefix("- ") {
        Some(r) => (true, r.trim_start_matches(' ')),
        None => (false, trimmed),
    };
    let column = before.len() - rest.len();
    let maps = maps_with_paths(root);
    // The mapping this line belongs to: the last one before the cursor whose keys sit at the
    // cursor's column.
    let text = doc.text();
    let col_of = |offset: usize| offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let holder = maps
        .iter()
        .filter(|(nodes, _)| {
            let map = nodes.last().expect("path ends at its map");
            map.as_map().is_some_and(|entries| {
                entries.first().is_some_and(|e| {
                    col_of(e.key.span.start) == column
                        && e.key.span.start < line_start + before.len()
                })
            })
        })
        .max_by_key(|(nodes, _)| nodes.last().map(|m| m.span.start));
    let Some((nodes, steps)) = holder else {
        return Vec::new();
    };
    let map = *nodes.last().expect("path ends at its map");
    let path = schema_path(&store, nodes, steps);
    if path.len() < nodes.len() {
        return Vec::new();
    }
    let at = path[nodes.len() - 1];
    if let Some((key, _)) = rest.split_once(':') {
        let key = key.trim();
        // Value completion: `type` values, or the enum of the property.
        if key == "type" {
            let choices = if dash {
                type_choices(&store, at)
            } else {
                type_choices_of_item(&store, &path, steps)
            };
            // Type names hold dots, which many clients take for word breaks: the item
            // replaces the whole value typed so far.
            let colon = before.rfind(':').unwrap_or(before.len());
            let spaces = before[colon + 1..].len() - before[colon + 1..].trim_start().len();
            let index = LineIndex::new(text);
            let range = lsp::Range::new(
                index.position(line_start + colon + 1 + spaces),
                index.position(line_start + before.len()),
            );
            return choices
                .iter()
                .map(|t| lsp::CompletionItem {
                    filter_text: Some(t.clone()),
                    text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                        range,
                        t.clone(),
                    ))),
                    ..item(t, lsp::CompletionItemKind::CLASS, None)
                })
                .collect();
        }
        let Some(def) = resolve(&store, at, map) else {
            return Vec::new();
        };
        let Some(prop) = def.value.get("properties").and_then(|p| p.get(key)) else {
            return Vec::new();
        };
        return enum_values(def, prop)
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .map(|v| item(v, lsp::CompletionItemKind::ENUM_MEMBER, None))
            .collect();
    }
    // Key completion: the properties of the definition, minus the keys already there (a new
    // list item starts afresh).
    let def = if dash { None } else { resolve(&store, at, map) };
    let Some(def) = def else {
        return ["id", "type"].iter().map(|k| key_item(k, None)).collect();
    };
    let present: Vec<&str> = map
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e.key_str())
        .collect();
    let required = def.required();
    def.value
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, _)| !present.contains(&k.as_str()))
        .map(|(k, v)| {
            let mut it = key_item(k, Some(describe::expected(def.schema, v)));
            it.documentation = Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: describe_property(def, k, v, required.contains(&k.as_str())),
            }));
            if required.contains(&k.as_str()) {
                it.sort_text = Some(format!("0{k}"));
            } else {
                it.sort_text = Some(format!("1{k}"));
            }
            let _ = text_of(v);
            it
        })
        .collect()
}

/// The type choices for the `type:` of an existing mapping: the union of the list (or
/// property) holding it.
fn type_choices_of_item(
    store: &crate::schema::SchemaStore,
    path: &[super::locate::At<'_>],
    steps: &[Step<'_>],
) -> Vec<String> {
    let last = path.len() - 1;
    let choices = type_choices(store, path[last]);
    if !choices.is_empty() || last == 0 || !matches!(steps.last(), Some(Step::Index)) {
        return choices;
    }
    type_choices(store, path[last - 1])
}

fn key_item(key: &str, detail: Option<String>) -> lsp::CompletionItem {
    lsp::CompletionItem {
        label: key.to_string(),
        kind: Some(lsp::CompletionItemKind::PROPERTY),
        detail,
        insert_text: Some(format!("{key}: ")),
        ..Default::default()
    }
}
