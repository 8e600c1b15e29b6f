//! Hover: the rule docs of a finding under the cursor; on a property key what the schema says
//! of it (type, required, default, allowed values); on a `type:` value that type's properties.

use lsp_types as lsp;
use serde_json::Value;

use super::locate::{locate, resolve, schema_path, At};
use super::text::LineIndex;
use crate::schema::describe;
use crate::workspace::{Document, Workspace};

pub fn hover(workspace: &Workspace, doc: &Document, position: lsp::Position) -> Option<lsp::Hover> {
    let text = doc.text();
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let mut parts = Vec::new();
    for d in &doc.report.diagnostics {
        let span = &d.primary.span;
        if span.start <= offset && offset <= span.end {
            if let Some(meta) = crate::rules::meta_of(d.code) {
                parts.push(format!(
                    "**{}** `{}`: {}\n\n{}",
                    d.code,
                    d.name,
                    d.message,
                    crate::rules::docs::text(meta)
                ));
            }
        }
    }
    if let Some(schema_part) = schema_hover(workspace, doc, offset) {
        parts.push(schema_part);
    }
    if parts.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

fn schema_hover(workspace: &Workspace, doc: &Document, offset: usize) -> Option<String> {
    let root = doc.yaml.as_ref()?.root.as_ref()?;
    if !doc.report.is_flow {
        return None;
    }
    let store = store_for(workspace, doc)?;
    let found = locate(root, offset);
    let entry = found.entry()?;
    let map = found.parent_map()?;
    let depth = found.steps.len() - 1;
    let path = schema_path(&store, &found.nodes[..=depth], &found.steps[..depth]);
    if path.len() <= depth {
        return None;
    }
    let def = resolve(&store, path[depth], map)?;
    let key = entry.key_str()?;
    if found.on_key {
        let prop = def.value.get("properties")?.get(key)?;
        let required = def.required().contains(&key);
        return Some(describe_property(def, key, prop, required));
    }
    if key == "type" && entry.value.span.start <= offset {
        return Some(describe_type(def, entry.value.as_str()?));
    }
    None
}

/// The schema layers that apply to this document (its config's target).
pub fn store_for(
    workspace: &Workspace,
    doc: &Document,
) -> Option<std::sync::Arc<crate::schema::SchemaStore>> {
    let settings = workspace.options.settings_for(&doc.report.source.path);
    workspace
        .options
        .schema_for(workspace.options.target_for(settings))
}

/// What a property expects, as Markdown.
pub fn describe_property(def: At<'_>, key: &str, prop: &Value, required: bool) -> String {
    let mut out = format!("**`{key}`**: {}", describe::expected(def.schema, prop));
    out.push_str(if required {
        " (required)"
    } else {
        " (optional)"
    });
    if let Some(default) = prop.get("default") {
        out.push_str(&format!("\n\nDefault: `{}`", plain(default)));
    }
    if let Some(values) = enum_values(def, prop) {
        out.push_str(&format!("\n\nOne of: {}", describe::list_values(&values)));
    }
    if let Some(d) = text_of(prop) {
        out.push_str("\n\n");
        out.push_str(d);
    }
    if prop.get("$dynamic") == Some(&Value::Bool(true)) {
        out.push_str("\n\nDynamic: rendered with Pebble (`{{ … }}`).");
    }
    out
}

/// A type's summary and its properties, as Markdown.
fn describe_type(def: At<'_>, name: &str) -> String {
    let mut out = format!("**`{name}`**");
    if let Some(t) = text_of(def.value) {
        out.push_str(&format!(": {t}"));
    }
    let required = def.required();
    if let Some(props) = def.value.get("properties").and_then(Value::as_object) {
        out.push_str("\n\nProperties:\n");
        for (k, v) in props {
            if k == "type" {
                continue;
            }
            let mark = if required.contains(&k.as_str()) {
                " **(required)**"
            } else {
                ""
            };
            out.push_str(&format!(
                "- `{k}`: {}{mark}\n",
                describe::expected(def.schema, v)
            ));
        }
    }
    out
}

/// The `enum` of a property, following one reference.
pub fn enum_values(def: At<'_>, prop: &Value) -> Option<Vec<Value>> {
    let mut prop = prop;
    if let Some(r) = prop.get("$ref").and_then(Value::as_str) {
        prop = def.schema.definition(def.schema.resolve_ref(r)?)?;
    }
    if let Some(values) = prop.get("enum").and_then(Value::as_array) {
        return Some(values.clone());
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = prop.get(key).and_then(Value::as_array) {
            if let Some(values) = branches
                .iter()
                .find_map(|b| b.get("enum").and_then(Value::as_array))
            {
                return Some(values.clone());
            }
        }
    }
    None
}

pub fn text_of(v: &Value) -> Option<&str> {
    v.get("title")
        .or_else(|| v.get("description"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
