//! What the cross-file rules need to know about one flow: who it is, which flows it calls, its
//! task ids, and what its Flow triggers read from the flows that trigger it.

use super::templates::{dashed_references, first_name, task_output_ids, ParsedString, Rendering};
use super::{types, Flow};
use crate::diagnostic::Span;
use crate::pebble;

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
    /// Every id `outputs.<id>` may name; `None` when a Template task hides some.
    pub task_ids: Option<Vec<String>>,
    /// `outputs.<id>` read in a Flow trigger's `inputs`, rendered with the upstream execution.
    pub upstream_reads: Vec<UpstreamRead>,
}

/// `outputs.<task>` (or `tasks.<task>`) in a Flow trigger's `inputs`: `task` must be a task of
/// the flow whose execution triggers this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamRead {
    pub root: String,
    pub task: String,
    /// The task name in the file.
    pub span: Span,
    /// `(namespace, flowId)` of each flow the trigger's conditions or preconditions name.
    pub upstream: Vec<(String, String)>,
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

/// The flows a Flow trigger names literally: `ExecutionFlow` conditions,
/// `preconditions.flows` and (Kestra 2.0) `dependsOn`. A `dependsOn` entry without a literal
/// `flowId` stands for any flow of a namespace: then the upstream flows are not known.
fn upstream_flows(trigger: &crate::yaml::Node) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |n: &crate::yaml::Node| {
        let (Some(ns), Some(id)) = (n.get_str("namespace"), n.get_str("flowId")) else {
            return;
        };
        if !super::values::has_expression(ns) && !super::values::has_expression(id) {
            out.push((ns.to_string(), id.to_string()));
        }
    };
    for c in trigger
        .get("conditions")
        .and_then(|c| c.as_seq())
        .unwrap_or_default()
    {
        let is_flow_condition = c
            .get_str("type")
            .is_some_and(|t| types::is(t, "io.kestra.plugin.core.condition.ExecutionFlow"));
        if is_flow_condition {
            push(c);
        }
    }
    let flows = trigger.get("preconditions").and_then(|p| p.get("flows"));
    for f in flows.and_then(|f| f.as_seq()).unwrap_or_default() {
        push(f);
    }
    let depends_on = trigger.get("dependsOn").and_then(|d| d.as_seq());
    for d in depends_on.unwrap_or_default() {
        let literal = |k: &str| {
            d.get_str(k)
                .is_some_and(|v| !super::values::has_expression(v))
        };
        if !(literal("namespace") && literal("flowId")) {
            return Vec::new();
        }
        push(d);
    }
    out
}

/// The `outputs.<id>` reads of every Flow trigger's `inputs` that names its upstream flows.
fn upstream_reads(flow: &Flow<'_>, templates: &[ParsedString<'_>]) -> Vec<UpstreamRead> {
    let mut out = Vec::new();
    for s in templates
        .iter()
        .filter(|s| s.rendering == Rendering::Upstream)
    {
        let Some(trigger) = flow.triggers.iter().find(|t| {
            s.pointer
                .strip_prefix(t.pointer.as_str())
                .is_some_and(|rest| rest.starts_with("/inputs/"))
        }) else {
            continue;
        };
        let upstream = upstream_flows(trigger.node);
        if upstream.is_empty() {
            continue;
        }
        let dashed = dashed_references(&s.template, s.text());
        for r in pebble::references(&s.template) {
            if !matches!(r.root.as_str(), "outputs" | "tasks") || s.is_guarded(&r.span) {
                continue;
            }
            let Some((name, segment)) = first_name(&r) else {
                continue;
            };
            if dashed
                .iter()
                .any(|d| d.first == segment.span || d.covers(&r.root_span))
            {
                continue;
            }
            out.push(UpstreamRead {
                root: r.root.clone(),
                task: name.to_string(),
                span: s.segment_span(segment),
                upstream: upstream.clone(),
            });
        }
    }
    out
}

/// The summary of a flow that has a string `id` and `namespace`.
pub fn summarize(flow: &Flow<'_>, templates: &[ParsedString<'_>]) -> Option<FlowSummary> {
    let id_node = flow.root.get("id")?;
    Some(FlowSummary {
        namespace: flow.namespace()?.to_string(),
        id: id_node.scalar_text()?.to_string(),
        id_span: id_node.span.clone(),
        subflow_calls: subflow_calls(flow),
        task_ids: task_output_ids(flow),
        upstream_reads: upstream_reads(flow, templates),
    })
}
