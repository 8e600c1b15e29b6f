//! Flow `pluginDefaults` (and 1.x `taskDefaults`) inlined into the tasks and triggers they
//! apply to, Kestra 2.0 OSS's replacement (kestra-migrate only warns). A default fills a key
//! the plugin does not set; `forced: true` overrides it. Unsafe: the defaults no longer apply
//! to tasks added later, and a reviewer should check each inlined value.

use super::after;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::flow::types::canonical;
use crate::yaml::edit::Editor;
use crate::yaml::{Entry, Node};

/// Does a default of type `default` apply to a plugin of type `ty`? The same type (old names
/// included), or a package prefix (`io.kestra.plugin.scripts` applies to every script task).
fn applies(default: &str, ty: &str) -> bool {
    let names = [ty, canonical(ty)];
    let defaults = [default, canonical(default)];
    names.iter().any(|t| {
        defaults
            .iter()
            .any(|d| t == d || t.strip_prefix(d).is_some_and(|r| r.starts_with('.')))
    })
}

/// Every mapping of the flow with a `type` (tasks, triggers, conditions, task runners…),
/// outside `key` itself.
fn typed_nodes<'a>(root: &'a Node, skip: &str) -> Vec<&'a Node> {
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = root
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|e| e.key_str() != Some(skip))
        .map(|e| &e.value)
        .collect();
    while let Some(node) = stack.pop() {
        if let Some(entries) = node.as_map() {
            if node.get_str("type").is_some() {
                out.push(node);
            }
            stack.extend(entries.iter().map(|e| &e.value));
        } else if let Some(items) = node.as_seq() {
            stack.extend(items.iter());
        }
    }
    out
}

/// The fix removing the flow's `key` (`pluginDefaults` or `taskDefaults`) entry, with its
/// values written into each task and trigger it applies to. `plugins` are the tasks' and
/// triggers' nodes; a default that would reach anything else (a condition, a task runner)
/// leaves the finding without a fix.
pub fn inline(editor: &Editor<'_>, root: &Node, entry: &Entry, plugins: &[&Node]) -> Option<Fix> {
    let key = entry.key_str()?;
    let defaults = entry.value.as_seq()?;
    let targets = typed_nodes(root, key);
    // Per plugin: the entry fragments to add, in default order, and their keys.
    let mut added: Vec<(&Node, Vec<String>, Vec<&str>)> = Vec::new();
    for default in defaults {
        let ty = default.get_str("type")?;
        let forced = match default.get("forced") {
            None => false,
            Some(f) => f.as_scalar()?.text == "true",
        };
        let (values_node, values) = match default.get("values") {
            None => continue,
            Some(v) if v.is_null() => continue,
            // Only block-style `values` are inlined, entry by entry.
            Some(v) if v.flow_style => return None,
            Some(v) => (v, v.as_map()?),
        };
        for target in targets
            .iter()
            .filter(|t| applies(ty, t.get_str("type").unwrap_or("")))
        {
            if !plugins.iter().any(|p| std::ptr::eq(*p, *target)) || target.flow_style {
                return None;
            }
            let at = match added.iter().position(|(n, _, _)| std::ptr::eq(*n, *target)) {
                Some(i) => i,
                None => {
                    added.push((target, Vec::new(), Vec::new()));
                    added.len() - 1
                }
            };
            for value in values {
                let name = value.key_str()?;
                let set_on_plugin = target.get(name).is_some();
                let set_by_default = added[at].2.contains(&name);
                if set_on_plugin || set_by_default {
                    // The plugin's own value wins, unless the default is forced (or two
                    // defaults compete, or Kestra would merge two mappings).
                    let both_maps = target.get(name).is_some_and(|v| v.as_map().is_some())
                        && value.value.as_map().is_some();
                    if forced || set_by_default || both_maps {
                        return None;
                    }
                    continue;
                }
                added[at].1.push(editor.entry_text(values_node, name)?);
                added[at].2.push(name);
            }
        }
    }
    let mut edits: Vec<Edit> = editor.remove_entry(root, key)?;
    for (node, entries, _) in &added {
        if entries.is_empty() {
            continue;
        }
        edits.push(editor.insert_entry_text(node, after(node, "type"), &entries.join("\n"))?);
    }
    super::fix(
        format!("write the `{key}` values into the tasks and triggers they apply to, and remove `{key}`"),
        Applicability::Unsafe,
        edits,
    )
}
