//! The Kestra 2.0 migration rewrites (the ones `kestra-migrate` makes, and a few it only warns
//! about), as span edits on the original text. Each function answers `None` when the shape is
//! one it cannot rewrite exactly; the rule then keeps its finding without a fix.
//!
//! Every edit is built with [`crate::yaml::edit::Editor`] on the rule's parsed document (the
//! one structural edit layer), and every fix is re-parsed by `--fix`, which drops an edit
//! whose result does not parse or changes data outside the fix's targets.

pub mod conditions;
pub mod defaults;
pub mod loops;
pub mod props;
pub mod scripts;
pub mod state;
pub mod triggers;
pub mod types;

use crate::diagnostic::{Applicability, Edit, Fix};
use crate::yaml::edit::At;
use crate::yaml::Node;

/// A fix from its edits, `None` when there are none or two of them overlap.
pub fn fix(
    message: impl Into<String>,
    applicability: Applicability,
    mut edits: Vec<Edit>,
) -> Option<Fix> {
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let overlapping = edits.windows(2).any(|w| {
        w[1].span.start < w[0].span.end || (w[0].span.is_empty() && w[0].span == w[1].span)
    });
    if edits.is_empty() || overlapping {
        return None;
    }
    Some(Fix::new(message, applicability, edits))
}

/// Edits from parts that must all succeed: one `None` drops the whole rewrite.
pub fn all(parts: impl IntoIterator<Item = Option<Edit>>) -> Option<Vec<Edit>> {
    parts.into_iter().collect()
}

/// The JSON pointer of a task, trigger or input node of the flow (`""`, the whole document,
/// for anything else): what a rewrite of that node may change, for the fix's verification.
pub fn pointer_of(flow: &crate::flow::Flow<'_>, node: &Node) -> String {
    flow.tasks
        .iter()
        .map(|t| &t.item)
        .chain(flow.triggers.iter())
        .chain(flow.inputs.iter())
        .find(|i| std::ptr::eq(i.node, node))
        .map_or_else(String::new, |i| i.pointer.clone())
}

/// Right after the entry `key` of `map`, or after its last entry when there is none.
pub fn after<'k>(map: &Node, key: &'k str) -> At<'k> {
    if map.get(key).is_some() {
        At::After(key)
    } else {
        At::End
    }
}
