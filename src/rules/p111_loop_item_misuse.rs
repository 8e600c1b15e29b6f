use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::loops::{inside_item_loop, LOOP};
use crate::flow::templates::ParsedString;
use crate::flow::Flow;
use crate::pebble;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P111",
    name: "loop-item-misuse",
    severity: Severity::Error,
    summary: "`item.*` outside a Loop, or `outputs.x[item.value]` inside one",
    docs: r#"## What it does
On the Kestra 2.0 target, reports:
- `item` (`item.value`, `item.index`, `item.key`, `item.parent`, `item.parents[n]`) in a value that
  is not rendered inside a `Loop` iteration: a task outside every `Loop`, a trigger, a flow output.
  A Loop's own `breakWhen` and `outputs` are rendered per iteration and may use it;
- `outputs.<task>[item.value]` inside a Loop: the 1.x way of reading the output of the current
  iteration of a ForEach.

## Why
`item` is only set inside a Loop iteration; elsewhere the expression fails at run time. Each
iteration of a Loop is a sub-execution that sees only its own task runs, so `outputs.x.y` already
is the current iteration's output, and `outputs.x[item.value].y` fails (there is no per-value
entry).

## Example
```yaml
  - id: each
    type: io.kestra.plugin.core.flow.Loop
    values: [a, b]
    tasks:
      - id: fetch
        type: io.kestra.plugin.core.http.Request
        uri: "https://example.com/{{ item.value }}"
      - id: log
        type: io.kestra.plugin.core.log.Log
        message: "{{ outputs.fetch[item.value].body }}"    # P111
```
Use instead: `message: "{{ outputs.fetch.body }}"`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::Only2_0,
};

/// Is this value rendered inside a Loop iteration?
fn in_iteration(flow: &Flow<'_>, s: &ParsedString<'_>) -> bool {
    let Some(task) = s.task else { return false };
    if inside_item_loop(flow, task) {
        return true;
    }
    // A Loop's `breakWhen` and `outputs` are evaluated for each iteration.
    let t = &flow.tasks[task];
    t.type_name() == Some(LOOP)
        && s.pointer
            .strip_prefix(t.pointer.as_str())
            .is_some_and(|rest| rest == "/breakWhen" || rest.starts_with("/outputs/"))
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for s in ctx.templates {
            if !s.uses_flow_context(flow, ctx.schema_findings) {
                continue;
            }
            let refs = pebble::references(&s.template);
            let iteration = in_iteration(flow, s);
            for r in refs.iter().filter(|r| r.root == "item") {
                if iteration || s.is_guarded(&r.span) {
                    continue;
                }
                out.push(
                    META.diag(
                        "`item` is only set inside a Loop iteration",
                        s.file_span(r.root_span.clone()),
                    )
                    .with_label("not inside a Loop")
                    .with_help("move this task under an `io.kestra.plugin.core.flow.Loop`; after a Loop, read its `outputs` (`loopOutputs(outputs.<loop>.outputs, '<id>')`)"),
                );
            }
            if !iteration {
                continue;
            }
            // `outputs.x[item.value]`: a subscript of an `outputs` path that holds `item`.
            for o in refs.iter().filter(|r| r.root == "outputs") {
                let Some(sub) = o.segments.iter().skip(1).find(|seg| {
                    seg.bracket
                        && refs.iter().any(|i| {
                            i.root == "item"
                                && seg.span.start <= i.span.start
                                && i.span.end <= seg.span.end
                        })
                }) else {
                    continue;
                };
                let task = o.segments[0].name.as_deref().unwrap_or("the task");
                out.push(
                    META.diag(
                        format!("`outputs.{task}` inside a Loop iteration is already this iteration's output: it has no entry per value"),
                        s.file_span(sub.span.clone()),
                    )
                    .with_label("fails at run time")
                    .with_help(format!("drop the subscript: `outputs.{task}.…`")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, assert_silent_1_3};

    const MISUSE: &str = "id: f\nnamespace: n\ntasks:\n  - id: before\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ item.value }}\"\n  - id: each\n    type: io.kestra.plugin.core.flow.Loop\n    values: [a]\n    tasks:\n      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: x\n      - id: log\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ outputs.r[item.value].value }}\"\n";

    #[test]
    fn fires_outside_a_loop_and_on_a_per_value_subscript() {
        assert_fires("P111", MISUSE, &[(6, 18), (16, 31)]);
        assert_silent_1_3("P111", MISUSE);
    }

    #[test]
    fn silent_inside_loops_break_when_and_outputs() {
        assert_silent(
            "P111",
            "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.Loop\n    values: [a]\n    breakWhen: \"{{ item.index > 3 }}\"\n    outputs:\n      - id: v\n        type: STRING\n        value: \"{{ item.value }} {{ outputs.r.value }}\"\n    tasks:\n      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: \"{{ item.value }}\"\n      - id: inner\n        type: io.kestra.plugin.core.flow.If\n        condition: \"{{ item.index == 0 }}\"\n        then:\n          - id: log\n            type: io.kestra.plugin.core.log.Log\n            message: \"{{ item.parent ?? '' }} {{ outputs.r.value }} {% for item in [1] %}{{ item }}{% endfor %}\"\n",
        );
    }
}
