//! Which looping task a task runs in: the 1.x loops give their children `taskrun.value`; the
//! 2.0 `Loop` runs each iteration as a sub-execution that sees `item.*` instead.

use super::Flow;

/// Task types that run their children once per value and set `taskrun.value`.
const TASKRUN_LOOPS: &[&str] = &[
    "io.kestra.plugin.core.flow.ForEach",
    "io.kestra.plugin.core.flow.EachSequential",
    "io.kestra.core.tasks.flows.EachSequential",
    "io.kestra.plugin.core.flow.EachParallel",
    "io.kestra.core.tasks.flows.EachParallel",
    "io.kestra.plugin.core.flow.ForEachItem",
    "io.kestra.core.tasks.flows.ForEachItem",
    "io.kestra.plugin.core.flow.LoopUntil",
    "io.kestra.plugin.core.flow.WaitFor",
];

/// Kestra 2.0's loop.
pub const LOOP: &str = "io.kestra.plugin.core.flow.Loop";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoopKind {
    /// ForEach and the other 1.x loops: `taskrun.value`.
    TaskrunValue,
    /// The 2.0 `Loop`: `item.value`, `item.index`, `item.parent`…
    Item,
}

/// The kind of a task type, if it loops.
pub fn loop_kind(type_name: &str) -> Option<LoopKind> {
    if type_name == LOOP {
        Some(LoopKind::Item)
    } else if TASKRUN_LOOPS.contains(&type_name) {
        Some(LoopKind::TaskrunValue)
    } else {
        None
    }
}

/// The innermost looping ancestor of `task` (not the task itself), with its index.
pub fn enclosing_loop(flow: &Flow<'_>, task: usize) -> Option<(usize, LoopKind)> {
    let mut current = flow.tasks.get(task).and_then(|t| t.parent);
    // A parent index always points up the tree; the bound guards against a malformed view.
    for _ in 0..=flow.tasks.len() {
        let index = current?;
        let parent = flow.tasks.get(index)?;
        if let Some(kind) = parent.type_name().and_then(loop_kind) {
            return Some((index, kind));
        }
        current = parent.parent;
    }
    None
}

/// Is `task` anywhere inside a 2.0 `Loop`?
pub fn inside_item_loop(flow: &Flow<'_>, task: usize) -> bool {
    let mut current = flow.tasks.get(task).and_then(|t| t.parent);
    for _ in 0..=flow.tasks.len() {
        let Some(index) = current else { return false };
        let Some(parent) = flow.tasks.get(index) else {
            return false;
        };
        if parent.type_name() == Some(LOOP) {
            return true;
        }
        current = parent.parent;
    }
    false
}
