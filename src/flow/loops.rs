//! Kestra 2.0's `Loop`: each iteration is a sub-execution that sees `item.*` (not the
//! `taskrun.value` the 1.x loops set).

use super::Flow;

/// Kestra 2.0's loop.
pub const LOOP: &str = "io.kestra.plugin.core.flow.Loop";

/// Is `task` anywhere inside a 2.0 `Loop`?
pub fn inside_item_loop(flow: &Flow<'_>, task: usize) -> bool {
    let mut current = flow.tasks.get(task).and_then(|t| t.parent);
    // A parent index always points up the tree; the bound guards against a malformed view.
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
