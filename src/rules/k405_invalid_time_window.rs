use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K405",
    name: "invalid-time-window",
    severity: Severity::Error,
    summary: "A Flow trigger's time window has properties its `type` forbids or lacks one it needs",
    docs: r#"## What it does
Checks each `timeWindow` of a Flow trigger's `preconditions` (and of a MultipleCondition) against
its `type` (default `DURATION_WINDOW`):

| type | needs | must not have |
|---|---|---|
| `DAILY_TIME_DEADLINE` | `deadline` | `window`, `windowAdvance`, `startTime`, `endTime` |
| `DAILY_TIME_WINDOW` | `startTime`, `endTime` | `window`, `windowAdvance`, `deadline` |
| `DURATION_WINDOW` | | `deadline`, `startTime`, `endTime` |
| `SLIDING_WINDOW` | | `deadline`, `startTime`, `endTime`, `windowAdvance` |

## Why
Kestra refuses the flow, e.g. ``Time window of type `DAILY_TIME_DEADLINE` must have a deadline.``
or ``Time window of type `SLIDING_WINDOW` cannot have a window advance.`` (TimeWindowValidator,
Kestra 1.x). Kestra 2.0 replaces `preconditions.timeWindow` by the Flow trigger's `window`.

## Example
```yaml
    preconditions:
      id: both_done
      timeWindow:
        type: DAILY_TIME_DEADLINE       # K405: must have a deadline
        window: PT1H                     # K405: cannot have a window
```
Use instead: `deadline: "09:00:00"` and no `window`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only1x,
};

fn property_name(key: &str) -> &'static str {
    match key {
        "deadline" => "a deadline",
        "window" => "a window",
        "windowAdvance" => "a window advance",
        "startTime" => "a start time",
        _ => "an end time",
    }
}

fn check_window(window: &Node, out: &mut Vec<Diagnostic>) {
    let Some(entries) = window.as_map() else {
        return;
    };
    let type_node = window.get("type");
    let ty = match type_node {
        None => "DURATION_WINDOW",
        Some(n) if n.is_null() => "DURATION_WINDOW",
        Some(n) => match n.scalar_text() {
            Some(t) => t,
            None => return,
        },
    };
    let (needs, forbids): (&[&str], &[&str]) = match ty {
        "DAILY_TIME_DEADLINE" => (
            &["deadline"],
            &["window", "windowAdvance", "startTime", "endTime"],
        ),
        "DAILY_TIME_WINDOW" => (
            &["startTime", "endTime"],
            &["window", "windowAdvance", "deadline"],
        ),
        "DURATION_WINDOW" => (&[], &["deadline", "startTime", "endTime"]),
        "SLIDING_WINDOW" => (&[], &["deadline", "startTime", "endTime", "windowAdvance"]),
        _ => return, // S004 reports an unknown type
    };
    for e in entries {
        let Some(key) = e.key_str() else { continue };
        if forbids.contains(&key) && !e.value.is_null() {
            out.push(
                META.diag(
                    format!(
                        "Time window of type `{ty}` cannot have {}.",
                        property_name(key)
                    ),
                    e.key.span.clone(),
                )
                .with_label(format!("not used by `{ty}`"))
                .with_help(format!("remove `{key}` or change the window `type`")),
            );
        }
    }
    let anchor = type_node.map_or_else(|| window.span.start..window.span.start, |n| n.span.clone());
    for key in needs {
        if window.get(key).is_none_or(Node::is_null) {
            out.push(
                META.diag(
                    format!(
                        "Time window of type `{ty}` must have {}.",
                        property_name(key)
                    ),
                    anchor.clone(),
                )
                .with_label(format!("needs `{key}`"))
                .with_help(format!("add `{key}:` with a time such as \"09:00:00\"")),
            );
        }
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for trigger in &flow.triggers {
            if trigger
                .type_name()
                .is_some_and(|t| types::is(t, types::FLOW_TRIGGER))
            {
                if let Some(w) = trigger
                    .node
                    .get("preconditions")
                    .and_then(|p| p.get("timeWindow"))
                {
                    check_window(w, out);
                }
            }
            let conditions = trigger.node.get("conditions").and_then(Node::as_seq);
            for c in conditions.unwrap_or_default() {
                let multiple = c
                    .get_str("type")
                    .is_some_and(|t| types::is(t, types::MULTIPLE_CONDITION));
                if let Some(w) = c.get("timeWindow").filter(|_| multiple) {
                    check_window(w, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent_1_3};

    fn flow(window: &str) -> String {
        format!("id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: up\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: p\n      flows:\n        - namespace: n\n          flowId: a\n      timeWindow:\n{window}")
    }

    #[test]
    fn fires_on_missing_and_forbidden_properties() {
        assert_fires_1_3(
            "K405",
            &flow("        type: DAILY_TIME_DEADLINE\n        window: PT1H\n"),
            &[(16, 15), (17, 9)],
        );
        assert_fires_1_3(
            "K405",
            &flow("        deadline: \"09:00:00\"\n"),
            &[(16, 9)],
        );
    }

    #[test]
    fn silent_on_consistent_windows() {
        assert_silent_1_3(
            "K405",
            &flow("        type: DAILY_TIME_DEADLINE\n        deadline: \"09:00:00\"\n"),
        );
        assert_silent_1_3(
            "K405",
            &flow("        type: SLIDING_WINDOW\n        window: PT1H\n"),
        );
    }
}
