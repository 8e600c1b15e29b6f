//! One walker over every task in a flow, iterative so deep trees cannot overflow the stack.

use super::{Item, Task};
use crate::yaml::Node;

/// Which top-level list a task ultimately belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Tasks,
    Errors,
    Finally,
    AfterExecution,
    Listeners,
}

/// Keys of a task that hold child tasks in Kestra's core flowable tasks.
const CHILD_KEYS: &[&str] = &["tasks", "then", "else", "errors", "finally", "defaults"];

/// Keys that never hold tasks even if their items look like tasks.
const NOT_TASK_KEYS: &[&str] = &["triggers", "conditions", "inputs", "outputs", "labels"];

/// A list of tasks: the list node, its pointer, the parent task's index, section, container key.
type ListRef<'a> = (&'a Node, String, Option<usize>, Section, &'a str);

pub(super) fn collect_tasks(root: &Node) -> Vec<Task<'_>> {
    let mut out = Vec::new();
    let mut pending: Vec<ListRef<'_>> = Vec::new();
    let sections = [
        ("tasks", Section::Tasks),
        ("errors", Section::Errors),
        ("finally", Section::Finally),
        ("afterExecution", Section::AfterExecution),
    ];
    // Pushed in reverse so the walk is in document order.
    if let Some(listeners) = root.get("listeners").and_then(Node::as_seq) {
        for (i, listener) in listeners.iter().enumerate().rev() {
            if let Some(tasks) = listener.get("tasks") {
                pending.push((
                    tasks,
                    format!("/listeners/{i}/tasks"),
                    None,
                    Section::Listeners,
                    "tasks",
                ));
            }
        }
    }
    for (key, section) in sections.iter().rev() {
        if let Some(list) = root.get(key) {
            pending.push((list, format!("/{key}"), None, *section, key));
        }
    }

    // Depth-first, in document order: a frame is a list being read and the next index in it.
    let mut frames: Vec<(ListRef<'_>, usize)> = pending.into_iter().map(|l| (l, 0)).collect();
    while let Some((list, next)) = frames.last_mut() {
        let (node, pointer, parent, section, container) = list.clone();
        let Some(item) = node.as_seq().and_then(|items| items.get(*next)) else {
            frames.pop();
            continue;
        };
        let item_pointer = format!("{pointer}/{next}");
        *next += 1;
        // Dag wraps each task: `tasks: [{task: {...}, dependsOn: [...]}]`.
        let (node, task_pointer) = match item.get("task") {
            Some(inner) if item.get("type").is_none() && inner.as_map().is_some() => {
                (inner, format!("{item_pointer}/task"))
            }
            _ => (item, item_pointer),
        };
        if node.as_map().is_none() {
            continue;
        }
        let index = out.len();
        out.push(Task {
            item: Item {
                node,
                pointer: task_pointer.clone(),
            },
            parent,
            section,
            container,
        });
        for child in child_lists(node, &task_pointer, index, section)
            .into_iter()
            .rev()
        {
            frames.push((child, 0));
        }
    }
    out
}

/// The lists of child tasks under one task.
fn child_lists<'a>(
    task: &'a Node,
    pointer: &str,
    index: usize,
    section: Section,
) -> Vec<ListRef<'a>> {
    let mut lists = Vec::new();
    for entry in task.as_map().unwrap_or_default() {
        let Some(key) = entry.key_str() else { continue };
        let value = &entry.value;
        if key == "cases" {
            for case in value.as_map().unwrap_or_default() {
                let Some(case_key) = case.key_str() else {
                    continue;
                };
                lists.push((
                    &case.value,
                    format!("{pointer}/cases/{}", escape(case_key)),
                    Some(index),
                    section,
                    "cases",
                ));
            }
            continue;
        }
        // A plugin's own `tasks` list (e.g. Azure Batch job tasks) holds no Kestra tasks: a list
        // counts when one of its items has a plugin `type`, or, for other keys, all of them do.
        let is_child_list = if CHILD_KEYS.contains(&key) {
            holds_tasks(value, |items, is_task| items.iter().any(is_task))
        } else {
            !NOT_TASK_KEYS.contains(&key)
                && holds_tasks(value, |items, is_task| {
                    items
                        .iter()
                        .all(|n| is_task(n) && n.get("task").unwrap_or(n).get("id").is_some())
                })
        };
        if is_child_list {
            lists.push((
                value,
                format!("{pointer}/{}", escape(key)),
                Some(index),
                section,
                key,
            ));
        }
    }
    lists
}

/// Does this list hold tasks? `test` sees the items and a per-item "has a plugin type" check
/// (Dag items wrap their task in `task:`).
fn holds_tasks(value: &Node, test: impl Fn(&[Node], &dyn Fn(&Node) -> bool) -> bool) -> bool {
    let Some(items) = value.as_seq() else {
        return false;
    };
    let is_task = |item: &Node| {
        let node = item.get("task").unwrap_or(item);
        node.get_str("type").is_some_and(|t| t.contains('.'))
    };
    !items.is_empty() && test(items, &is_task)
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
