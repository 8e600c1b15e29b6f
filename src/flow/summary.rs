//! What the cross-file rules need to know about one flow: who it is and which flows it calls.

use super::{types, Flow};
use crate::diagnostic::Span;

/// A Subflow or ForEachItem whose target is written literally (no expression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubflowCall {
    pub namespace: String,
    pub flow_id: String,
    /// The `flowId` value.
    pub span: Span,
    /// Index of the calling task in [`Flow::tasks`].
    pub task: usize,
}

/// One flow file, reduced to its identity and its literal subflow calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowSummary {
    pub namespace: String,
    pub id: String,
    /// The `id` value.
    pub id_span: Span,
    pub subflow_calls: Vec<SubflowCall>,
}

impl FlowSummary {
    /// `namespace.id`, as Kestra names a flow in its messages.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.namespace, self.id)
    }
}

/// Every Subflow/ForEachItem whose `namespace` and `flowId` are plain text.
pub fn subflow_calls(flow: &Flow<'_>) -> Vec<SubflowCall> {
    flow.tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.type_name().is_some_and(types::is_subflow_call))
        .filter_map(|(i, t)| {
            let namespace = t.node.get("namespace")?.as_str()?;
            let flow_id_node = t.node.get("flowId")?;
            let flow_id = flow_id_node.as_str()?;
            if super::values::has_expression(namespace) || super::values::has_expression(flow_id) {
                return None;
            }
            Some(SubflowCall {
                namespace: namespace.to_string(),
                flow_id: flow_id.to_string(),
                span: flow_id_node.span.clone(),
                task: i,
            })
        })
        .collect()
}

/// The summary of a flow that has a string `id` and `namespace`.
pub fn summarize(flow: &Flow<'_>) -> Option<FlowSummary> {
    let id_node = flow.root.get("id")?;
    Some(FlowSummary {
        namespace: flow.namespace()?.to_string(),
        id: id_node.scalar_text()?.to_string(),
        id_span: id_node.span.clone(),
        subflow_calls: subflow_calls(flow),
    })
}
