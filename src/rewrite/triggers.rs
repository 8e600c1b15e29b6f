//! Trigger `conditions` → `when`, and a Flow trigger's `conditions`/`preconditions` →
//! `dependsOn` (+ `window`), each trigger converted whole or not at all (kestra-migrate's
//! `rewriteTriggerConditions`). Unsafe: the new expressions and upstream filters should be
//! reviewed (and a migrated Flow trigger tried out before it is enabled).

use super::conditions;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::flow::types::{self, canonical};
use crate::yaml::edit::{double_quoted, scalar, Editor};
use crate::yaml::Node;

/// A non-Flow trigger's `conditions` as one `when: "{{ … }}"`.
pub fn conditions_to_when(editor: &Editor<'_>, trigger: &Node) -> Option<Fix> {
    if trigger.get("when").is_some() {
        return None;
    }
    let entry = trigger.entry("conditions")?;
    let expr = conditions::all(entry.value.as_seq()?)?;
    let line = format!("when: {}", double_quoted(&format!("{{{{ {expr} }}}}")));
    super::fix(
        "replace `conditions` with `when`",
        Applicability::Unsafe,
        vec![editor.replace_entry(trigger, "conditions", &line)?],
    )
}

/// One upstream of a Flow trigger: a `dependsOn` entry.
#[derive(Default)]
struct Upstream {
    namespace: Option<String>,
    flow_id: Option<String>,
    states: Option<Vec<String>>,
    labels: Vec<(String, String)>,
    /// A Pebble condition on the upstream execution (a namespace prefix).
    when: Option<String>,
}

impl Upstream {
    fn lines(&self) -> Vec<String> {
        let mut fields = Vec::new();
        if let Some(ns) = &self.namespace {
            fields.push(format!("namespace: {}", scalar(ns)));
        }
        if let Some(id) = &self.flow_id {
            fields.push(format!("flowId: {}", scalar(id)));
        }
        if let Some(states) = &self.states {
            fields.push(format!("states: [{}]", states.join(", ")));
        }
        if !self.labels.is_empty() {
            fields.push("labels:".to_string());
            for (k, v) in &self.labels {
                fields.push(format!("  {}: {}", scalar(k), scalar(v)));
            }
        }
        if let Some(when) = &self.when {
            fields.push(format!(
                "when: {}",
                double_quoted(&format!("{{{{ {when} }}}}"))
            ));
        }
        fields
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{}{f}", if i == 0 { "  - " } else { "    " }))
            .collect()
    }
}

fn state_list(node: &Node) -> Option<Vec<String>> {
    node.as_seq()?
        .iter()
        .map(|s| {
            let s = s.as_str()?;
            let s = if s == "CANCELED" { "CANCELLED" } else { s };
            s.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_')
                .then(|| s.to_string())
        })
        .collect()
}

fn core_condition(node: &Node) -> Option<&str> {
    let ty = canonical(node.get_str("type")?);
    let name = ty.strip_prefix("io.kestra.plugin.core.condition.")?;
    Some(name.strip_suffix("Condition").unwrap_or(name))
}

fn only(node: &Node, keys: &[&str]) -> Option<()> {
    node.as_map()?
        .iter()
        .all(|e| {
            e.key_str()
                .is_some_and(|k| k == "type" || keys.contains(&k))
        })
        .then_some(())
}

/// `conditions` of a Flow trigger: ExecutionFlow, ExecutionNamespace (exact), ExecutionStatus
/// and ExecutionLabels into one upstream; a MultipleCondition of ExecutionFlows into one per
/// flow, its `window` as a sliding `lookback`.
fn from_conditions(items: &[Node]) -> Option<(Vec<Upstream>, Option<String>)> {
    let mut one = Upstream::default();
    let mut many: Vec<Upstream> = Vec::new();
    let mut lookback = None;
    for c in items {
        match core_condition(c)? {
            "ExecutionFlow" | "Flow" => {
                only(c, &["namespace", "flowId"])?;
                if one.flow_id.is_some() {
                    return None;
                }
                one.namespace = Some(c.get_str("namespace")?.to_string());
                one.flow_id = Some(c.get_str("flowId")?.to_string());
            }
            "ExecutionNamespace" | "FlowNamespace" => {
                only(c, &["namespace", "comparison", "prefix"])?;
                let ns = c.get_str("namespace")?;
                let prefix = c
                    .get("prefix")
                    .is_some_and(|p| p.scalar_text() == Some("true"));
                let test = match (c.get_str("comparison"), prefix) {
                    (None | Some("EQUALS"), false) => None,
                    (None | Some("PREFIX"), true) | (Some("PREFIX"), false) => Some("startsWith"),
                    (Some("SUFFIX"), false) => Some("endsWith"),
                    _ => return None,
                };
                if one.namespace.is_some() || one.when.is_some() {
                    return None;
                }
                match test {
                    None => one.namespace = Some(ns.to_string()),
                    // kestra-migrate's rewrite: the namespace is tested in the entry's `when`.
                    Some(test) if !ns.contains(['\'', '\\']) => {
                        one.when = Some(format!("trigger.namespace | {test}('{ns}')"))
                    }
                    Some(_) => return None,
                }
            }
            "ExecutionStatus" => {
                only(c, &["in"])?;
                if one.states.is_some() {
                    return None;
                }
                one.states = Some(state_list(c.get("in")?)?);
            }
            "ExecutionLabels" => {
                only(c, &["labels"])?;
                for e in c.get("labels")?.as_map()? {
                    one.labels
                        .push((e.key_str()?.to_string(), e.value.scalar_text()?.to_string()));
                }
            }
            "Multiple" => {
                only(c, &["id", "window", "windowAdvance", "conditions"])?;
                let advance = c.get_str("windowAdvance");
                if !many.is_empty() || advance.is_some_and(|a| a != "P0D") {
                    return None;
                }
                lookback = c.get_str("window").map(str::to_string);
                for e in c.get("conditions")?.as_map()? {
                    let f = &e.value;
                    if !matches!(core_condition(f)?, "ExecutionFlow" | "Flow") {
                        return None;
                    }
                    only(f, &["namespace", "flowId"])?;
                    many.push(Upstream {
                        namespace: Some(f.get_str("namespace")?.to_string()),
                        flow_id: Some(f.get_str("flowId")?.to_string()),
                        ..Upstream::default()
                    });
                }
            }
            _ => return None,
        }
    }
    if many.is_empty() {
        // An entry must say which executions it waits for.
        if one.namespace.is_none() && one.when.is_none() && one.states.is_none() {
            return None;
        }
        return Some((vec![one], None));
    }
    // Filters beside a MultipleCondition apply to each of its flows.
    if one.namespace.is_some() || one.flow_id.is_some() || one.when.is_some() {
        return None;
    }
    for m in &mut many {
        m.states = one.states.clone();
        m.labels = one.labels.clone();
    }
    Some((many, lookback))
}

/// `preconditions` of a Flow trigger: its `flows` become `dependsOn`; a daily deadline time
/// window becomes `window.deadline`. `where` filters need a person.
fn from_preconditions(p: &Node) -> Option<(Vec<Upstream>, Option<String>)> {
    only(p, &["id", "flows", "timeWindow", "resetOnSuccess"])?;
    if p.get("resetOnSuccess")
        .is_some_and(|r| r.scalar_text() != Some("true"))
    {
        return None;
    }
    let mut out = Vec::new();
    for f in p.get("flows")?.as_seq()? {
        only(f, &["namespace", "flowId", "states", "labels"])?;
        let mut u = Upstream {
            namespace: Some(f.get_str("namespace")?.to_string()),
            flow_id: f.get_str("flowId").map(str::to_string),
            ..Upstream::default()
        };
        if let Some(states) = f.get("states") {
            u.states = Some(state_list(states)?);
        }
        if let Some(labels) = f.get("labels") {
            for e in labels.as_map()? {
                u.labels
                    .push((e.key_str()?.to_string(), e.value.scalar_text()?.to_string()));
            }
        }
        out.push(u);
    }
    if out.is_empty() {
        return None;
    }
    let deadline = match p.get("timeWindow") {
        None => None,
        Some(w) => {
            only(w, &["type", "deadline"])?;
            (w.get_str("type")? == "DAILY_TIME_DEADLINE").then_some(())?;
            Some(w.get_str("deadline")?.to_string())
        }
    };
    Some((out, deadline))
}

/// A Flow trigger's `conditions` or `preconditions` → `dependsOn` (+ `window`).
pub fn flow_trigger(editor: &Editor<'_>, trigger: &Node) -> Option<Fix> {
    if !trigger
        .get_str("type")
        .is_some_and(|t| types::is(t, types::FLOW_TRIGGER))
        || trigger.get("dependsOn").is_some()
        || trigger.get("window").is_some()
        || trigger.get("when").is_some()
    {
        return None;
    }
    let conditions = trigger.entry("conditions");
    let preconditions = trigger.entry("preconditions");
    let (upstreams, window, first) = match (conditions, preconditions) {
        (Some(c), None) => {
            let (u, lookback) = from_conditions(c.value.as_seq()?)?;
            (
                u,
                lookback.map(|l| format!("  lookback: {}", scalar(&l))),
                c,
            )
        }
        (None, Some(p)) => {
            let (u, deadline) = from_preconditions(&p.value)?;
            (
                u,
                deadline.map(|d| format!("  deadline: {}", double_quoted(&d))),
                p,
            )
        }
        _ => return None,
    };
    let mut lines = vec!["dependsOn:".to_string()];
    for u in &upstreams {
        lines.extend(u.lines());
    }
    if let Some(w) = window {
        lines.push("window:".to_string());
        lines.push(w);
    }
    let edits: Vec<Edit> =
        vec![editor.replace_entry(trigger, first.key_str()?, &lines.join("\n"))?];
    super::fix(
        "replace the Flow trigger's conditions with `dependsOn`",
        Applicability::Unsafe,
        edits,
    )
}
