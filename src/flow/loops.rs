//! Kestra 2.0's `Loop`: each iteration is a sub-execution that sees `item.*` (not the
//! `taskrun.value` the 1.x loops set).

use super::Flow;

/// Kestra 2.0's loop.
pub const LOOP: &str = "io.kestra.plugin.core.flow.Loop";

/// Is `canonical` (a canonical type name) a loop, 1.x or 2.0, whose tasks run once per value?
pub fn is_loop(canonical: &str) -> bool {
    matches!(
        canonical,
        "io.kestra.plugin.core.flow.ForEach"
            | "io.kestra.plugin.core.flow.EachSequential"
            | "io.kestra.plugin.core.flow.EachParallel"
            | super::types::FOR_EACH_ITEM
            | LOOP
    )
}

/// Is `task` anywhere inside a 2.0 `Loop`?
pub fn inside_item_loop(flow: &Flow<'_>, task: usize) -> bool {
    flow.ancestors(task)
        .any(|i| flow.tasks[i].type_name() == Some(LOOP))
}
