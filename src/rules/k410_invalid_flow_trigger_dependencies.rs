use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::types;
use crate::yaml::Node;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K410",
    name: "invalid-flow-trigger-dependencies",
    severity: Severity::Error,
    summary: "A Flow trigger's `mode`/`minSatisfied` or `window` fields do not fit together",
    docs: r#"## What it does
On the Kestra 2.0 target, checks a Flow trigger's `dependsOn` settings as Kestra's
`FlowTriggerValidator` and `WindowValidator` do:
- `mode: AT_LEAST` needs `minSatisfied`, which cannot exceed the number of `dependsOn` entries;
- a `window` is a daily deadline (`deadline`), a daily time window (`from` and `to`), a sliding
  window (`lookback`) or a duration window (`every`, `offset`), inferred from which fields are
  set; fields of another kind are refused.

## Why
Kestra 2.0 refuses the flow at save, with the messages reported here
(`` Window of type `DAILY_TIME_DEADLINE` cannot have an every duration. ``).

## Example
```yaml
    dependsOn:
      - namespace: company.data
        flowId: load
    mode: AT_LEAST                 # K410: no minSatisfied
    window:
      deadline: "09:00:00"
      every: PT1H                  # K410: a deadline window has no `every`
```
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only2_0,
};

/// (field, how the message names it).
type Fields = &'static [(&'static str, &'static str)];

/// Fields a window kind may not have.
const DEADLINE_FORBIDS: &[(&str, &str)] = &[
    ("every", "an every duration"),
    ("offset", "an offset"),
    ("from", "a from time"),
    ("to", "a to time"),
    ("lookback", "a lookback duration"),
];
const TIME_WINDOW_FORBIDS: &[(&str, &str)] = &[
    ("deadline", "a deadline"),
    ("every", "an every duration"),
    ("offset", "an offset"),
    ("lookback", "a lookback duration"),
];
const SLIDING_FORBIDS: &[(&str, &str)] = &[
    ("deadline", "a deadline"),
    ("from", "a from time"),
    ("to", "a to time"),
    ("offset", "an offset"),
    ("every", "an every duration"),
];

fn set(node: &Node, key: &str) -> bool {
    node.get(key).is_some_and(|v| !v.is_null())
}

fn check_window(window: &Node, out: &mut Vec<Diagnostic>) {
    let (kind, forbids, required): (&str, Fields, Fields) = if set(window, "deadline") {
        ("DAILY_TIME_DEADLINE", DEADLINE_FORBIDS, &[])
    } else if set(window, "from") || set(window, "to") {
        (
            "DAILY_TIME_WINDOW",
            TIME_WINDOW_FORBIDS,
            &[("from", "a from time"), ("to", "a to time")],
        )
    } else if set(window, "lookback") {
        ("SLIDING_WINDOW", SLIDING_FORBIDS, &[])
    } else {
        return;
    };
    for entry in window.as_map().unwrap_or_default() {
        let Some(key) = entry.key_str() else { continue };
        if let Some((_, what)) = forbids.iter().find(|(k, _)| *k == key) {
            if entry.value.is_null() {
                continue;
            }
            out.push(
                META.diag(
                    format!("Window of type `{kind}` cannot have {what}."),
                    entry.key.span.clone(),
                )
                .with_label(format!("not part of a {kind} window"))
                .with_help("remove it, or use the fields of one kind of window"),
            );
        }
    }
    for (key, what) in required {
        if !set(window, key) {
            out.push(
                META.diag(
                    format!("Window of type `{kind}` must have {what}."),
                    window.span.start..window.span.start,
                )
                .with_label(format!("no `{key}`"))
                .with_help("a daily time window needs both `from` and `to`"),
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
        for trigger in flow.triggers_of_type(types::FLOW_TRIGGER) {
            let node = trigger.node;
            let conditions = node
                .get("dependsOn")
                .and_then(Node::as_seq)
                .map_or(0, <[_]>::len);
            let mode = node.entry("mode");
            let at_least = mode.is_some_and(|m| m.value.as_str() == Some("AT_LEAST"));
            match node.entry("minSatisfied") {
                None if at_least => {
                    if let Some(mode) = mode {
                        out.push(
                            META.diag("`minSatisfied` must be set when mode is AT_LEAST", mode.value.span.clone())
                                .with_label("AT_LEAST without minSatisfied")
                                .with_help("add `minSatisfied: <n>`, the number of `dependsOn` entries that must be met"),
                        );
                    }
                }
                Some(min) => {
                    let n = min
                        .value
                        .as_scalar()
                        .and_then(|s| s.text.parse::<usize>().ok());
                    if let Some(n) = n.filter(|&n| n > conditions && conditions > 0) {
                        out.push(
                            META.diag(
                                format!("`minSatisfied` cannot be greater than the number of `dependsOn` conditions ({conditions})"),
                                min.value.span.clone(),
                            )
                            .with_label(format!("{n} > {conditions}"))
                            .with_help("lower `minSatisfied`, or add `dependsOn` entries"),
                        );
                    }
                }
                None => {}
            }
            if let Some(window) = node.get("window") {
                check_window(window, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, assert_silent_1_3, messages};

    fn flow(trigger: &str) -> String {
        format!("id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\ntriggers:\n  - id: up\n    type: io.kestra.plugin.core.trigger.Flow\n    dependsOn:\n      - namespace: a\n        flowId: b\n{trigger}")
    }

    #[test]
    fn fires_on_mode_and_window_conflicts() {
        let yaml = flow(
            "    mode: AT_LEAST\n    window:\n      deadline: \"09:00:00\"\n      every: PT1H\n",
        );
        assert_fires("K410", &yaml, &[(13, 11), (16, 7)]);
        assert_eq!(
            messages("K410", &yaml)[1],
            "Window of type `DAILY_TIME_DEADLINE` cannot have an every duration."
        );
        assert_fires(
            "K410",
            &flow("    mode: AT_LEAST\n    minSatisfied: 3\n"),
            &[(14, 19)],
        );
        assert_fires(
            "K410",
            &flow("    window:\n      from: \"08:00:00\"\n"),
            &[(14, 7)],
        );
        assert_silent_1_3("K410", &yaml);
    }

    #[test]
    fn silent_on_consistent_settings() {
        assert_silent("K410", &flow("    mode: AT_LEAST\n    minSatisfied: 1\n    window:\n      from: \"08:00:00\"\n      to: \"10:00:00\"\n      timezone: Europe/Paris\n"));
        assert_silent(
            "K410",
            &flow("    window:\n      lookback: PT1H\n      fireOnce: true\n"),
        );
    }
}
