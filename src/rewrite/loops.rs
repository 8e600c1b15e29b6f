//! ForEach / EachSequential / EachParallel → Kestra 2.0's `Loop` (kestra-migrate only warns).
//! Each Loop iteration is a sub-execution: inside it `item.value` replaces `taskrun.value`
//! (and `parent.taskrun.value`), and `outputs.x` is already the current iteration's output.
//! Unsafe: iterations no longer see each other's outputs, and the flow's outputs change shape.

use super::after;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::flow::loops::LOOP;
use crate::flow::templates::ParsedString;
use crate::flow::{types, Flow};
use crate::pebble;
use crate::yaml::edit::{At, Editor};

const FOR_EACH: &str = "io.kestra.plugin.core.flow.ForEach";
const EACH_SEQUENTIAL: &str = "io.kestra.plugin.core.flow.EachSequential";
const EACH_PARALLEL: &str = "io.kestra.plugin.core.flow.EachParallel";

/// Keys a 1.x loop may have for the rewrite to go ahead (Loop has them, or they are renamed).
const KNOWN_KEYS: &[&str] = &[
    "id",
    "type",
    "description",
    "values",
    "value",
    "concurrencyLimit",
    "concurrent",
    "tasks",
    "errors",
    "finally",
    "disabled",
    "timeout",
    "allowFailure",
    "allowWarning",
    "logLevel",
    "logToFile",
];

fn is_one_x_loop(name: &str) -> bool {
    crate::flow::loops::is_loop(types::canonical(name))
}

/// Is task `task` below task `ancestor`?
fn below(flow: &Flow<'_>, task: usize, ancestor: usize) -> bool {
    flow.ancestors(task).any(|i| i == ancestor)
}

/// The fix turning the loop `index` of `flow` into a `Loop`.
pub fn to_loop(
    editor: &Editor<'_>,
    flow: &Flow<'_>,
    templates: &[ParsedString<'_>],
    index: usize,
) -> Option<Fix> {
    let task = flow.tasks.get(index)?;
    let node = task.node;
    let kind = types::canonical(task.type_name()?);
    if !matches!(kind, FOR_EACH | EACH_SEQUENTIAL | EACH_PARALLEL) {
        return None;
    }
    let map = node.as_map()?;
    if map
        .iter()
        .any(|e| e.key_str().is_none_or(|k| !KNOWN_KEYS.contains(&k)))
    {
        return None;
    }
    let inner: Vec<usize> = (0..flow.tasks.len())
        .filter(|&i| below(flow, i, index))
        .collect();
    // A loop inside the loop: which value each `taskrun.value` means needs a person.
    if inner
        .iter()
        .any(|&i| flow.tasks[i].type_name().is_some_and(is_one_x_loop))
    {
        return None;
    }
    let inner_ids: Vec<&str> = inner.iter().filter_map(|&i| flow.tasks[i].id()).collect();
    let mut edits: Vec<Edit> = vec![editor.replace_scalar(task.type_node()?, LOOP)?];
    // Loop's `concurrencyLimit` defaults to 0 (all at once); ForEach's was 1.
    match kind {
        FOR_EACH if node.get("concurrencyLimit").is_none() => {
            let at = match node.get("values") {
                Some(_) => At::After("values"),
                None => after(node, "type"),
            };
            edits.push(editor.insert_entry(node, at, "concurrencyLimit", "1")?);
        }
        EACH_SEQUENTIAL | EACH_PARALLEL => {
            if node.get("values").is_some() {
                return None;
            }
            node.get("value")?;
            edits.push(editor.rename_key(node, "value", "values")?);
            match (kind, node.get("concurrent")) {
                (EACH_SEQUENTIAL, _) => edits.push(editor.insert_entry(
                    node,
                    At::After("value"),
                    "concurrencyLimit",
                    "1",
                )?),
                (_, Some(_)) => {
                    edits.push(editor.rename_key(node, "concurrent", "concurrencyLimit")?)
                }
                _ => {}
            }
        }
        _ => {}
    }
    for s in templates {
        let Some(at) = s.task else { continue };
        let inside = inner.contains(&at);
        let refs = pebble::references(&s.template);
        // `outputs.x[taskrun.value]` of a task in the loop: the subscript goes (value spans).
        let mut dropped: Vec<std::ops::Range<usize>> = Vec::new();
        for r in refs.iter().filter(|r| r.root == "outputs") {
            let first = r.segments.first().and_then(|seg| seg.name.as_deref());
            if !first.is_some_and(|id| inner_ids.contains(&id)) {
                continue;
            }
            // After the loop, its tasks' outputs are read with `loopOutputs()`.
            if !inside {
                return None;
            }
            let Some(sub) = r.segments.get(1).filter(|seg| seg.bracket) else {
                continue;
            };
            let per_value = refs.iter().any(|i| {
                i.root == "taskrun" && sub.span.start <= i.span.start && i.span.end <= sub.span.end
            });
            if per_value {
                edits.push(editor.replace_in_scalar(s.node, sub.span.clone(), "")?);
                dropped.push(sub.span.clone());
            }
        }
        if !inside {
            continue;
        }
        for r in &refs {
            if dropped
                .iter()
                .any(|d| d.start <= r.span.start && r.span.end <= d.end)
            {
                continue;
            }
            let names: Vec<Option<&str>> =
                r.segments.iter().map(|seg| seg.name.as_deref()).collect();
            let replaced = match (r.root.as_str(), names.as_slice()) {
                ("taskrun", [Some("value"), ..]) => 1,
                ("parent", [Some("taskrun"), Some("value"), ..]) => 2,
                ("parent" | "parents", _) => return None,
                _ => continue,
            };
            let span = r.root_span.start..r.segments[replaced - 1].span.end;
            edits.push(editor.replace_in_scalar(s.node, span, "item.value")?);
        }
    }
    super::fix(
        "replace with `io.kestra.plugin.core.flow.Loop` (`item.value` for `taskrun.value`)",
        Applicability::Unsafe,
        edits,
    )
}
