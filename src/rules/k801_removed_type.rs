use super::removed_2_0::removed_types;
use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K801",
    name: "removed-type",
    severity: Severity::Error,
    summary: "A task, trigger or input type that Kestra 2.0 removed",
    docs: r#"## What it does
On the Kestra 2.0 target, reports a task, trigger or input `type` that 2.0 no longer has, and
names what replaces it: `ForEach`, `EachSequential`, `EachParallel` and `ForEachItem` (→ `Loop`),
`Echo` (→ `Log`), `Template` (→ `Subflow`), the `state.*` tasks (→ `kv.*`), `LocalFiles`,
`execution.Count`, `execution.Resume`, `log.Fetch`, the `Toggle` trigger, and the `BOOLEAN`
(→ `BOOL`) and `ENUM` (→ `SELECT`) inputs. Old aliases of these types count too.

## Why
Kestra 2.0 refuses to save such a flow: `Invalid type: io.kestra.plugin.core.flow.ForEach`,
`Invalid type: BOOLEAN`; a stored flow that still has one fails to load.

## Example
```yaml
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach     # K801
    values: [a, b]
    tasks:
      - id: log
        type: io.kestra.plugin.core.log.Log
        message: "{{ taskrun.value }}"
```
Use instead:
```yaml
  - id: each
    type: io.kestra.plugin.core.flow.Loop
    values: [a, b]
    tasks:
      - id: log
        type: io.kestra.plugin.core.log.Log
        message: "{{ item.value }}"
```

## Fix
- `BOOLEAN` → `BOOL`, `ENUM` → `SELECT` (safe: the same input);
- `Echo` → `io.kestra.plugin.core.log.Log`, `format` renamed `message` (safe);
- `Template` → `io.kestra.plugin.core.flow.Subflow`, `templateId` renamed `flowId` (unsafe: a
  Subflow runs the flow as its own execution where a Template inlined its tasks; none with
  `args`);
- `ForEach`, `EachSequential`, `EachParallel` → `Loop` (unsafe: each iteration becomes a
  sub-execution). In the loop's tasks `taskrun.value` and `parent.taskrun.value` become
  `item.value` and `outputs.x[taskrun.value]` becomes `outputs.x`; EachSequential's and
  EachParallel's `value` is renamed `values`; the concurrency is kept (`concurrencyLimit: 1`
  for ForEach without a limit and for EachSequential, whose Loop default would be 0, all at
  once; EachParallel's `concurrent` is renamed `concurrencyLimit`). There is no fix when a loop
  sits inside the loop, when a task after the loop reads the outputs of a task inside it (2.0
  reads them with `loopOutputs()`), when a task inside uses `parents`, or when the loop has a
  key Loop does not take.

- `state.Get`, `state.Set`, `state.Delete` → `kv.Get`, `kv.Set`, `kv.Delete` on the key 1.3
  kept the state under in the namespace's KV store (`<flow id as a slug>_states_tasks-states_<name>`,
  without the flow part for `namespace: true`): `name` becomes `key`, `namespace` and
  `taskrunValue` go, a Set's `data` becomes `value`, and a Get's `outputs.<id>.data` becomes
  `fromJson(…)` of its `value` (which reads what 1.3 stored and what a kv.Set writes), `.count`
  its `length`. Safe for Get and Delete; unsafe for a Set (a state Set merged `data` into the
  stored map, a KV Set replaces it) and for any State task in a loop (`taskrunValue` kept one
  state per iteration). There is no fix for a Set without `data` (a KV Set needs a value) or
  whose `key`/`count` outputs are read (a KV Set has none), nor for a Get whose outputs are read
  otherwise than as `.data`/`.count` (passed whole to `currentEachOutput()`, say).

`ForEachItem`, `LocalFiles`, `execution.Count`/`Resume`, `log.Fetch` and the `Toggle` trigger
have no fix: their 2.0 replacement works differently, so the finding names it and a person
rewrites the task.
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::Only2_0,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let removed = removed_types(flow);
        if removed.is_empty() {
            return;
        }
        let editor = crate::yaml::edit::Editor::new(&ctx.source.text, ctx.doc);
        for removed in removed {
            let fix = match removed.task {
                Some(i) if removed.help.contains("flow.Loop") => {
                    crate::rewrite::loops::to_loop(&editor, flow, ctx.templates, i)
                }
                Some(i) if crate::rewrite::state::is_state_task(removed.name) => {
                    crate::rewrite::state::to_kv(&editor, flow, ctx.templates, i)
                }
                _ => crate::rewrite::types::removed_type_fix(
                    &editor,
                    removed.node,
                    removed.name,
                    removed.input,
                ),
            };
            let mut d = META
                .diag(format!("Invalid type: {}", removed.name), removed.span)
                .with_label("removed in Kestra 2.0")
                .with_help(removed.help);
            if let Some(fix) = fix {
                let fix = match fix.targets {
                    Some(_) => fix,
                    None => fix.with_targets([crate::rewrite::pointer_of(flow, removed.node)]),
                };
                d = d.with_fix(fix);
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, assert_silent_1_3, messages};

    const FOREACH: &str = "id: f\nnamespace: n\ninputs:\n  - id: b\n    type: BOOLEAN\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [a]\n    tasks:\n      - id: t\n        type: io.kestra.core.tasks.debugs.Echo\n        format: x\n";

    #[test]
    fn fires_on_removed_tasks_aliases_and_inputs() {
        assert_fires("K801", FOREACH, &[(5, 11), (8, 11), (12, 15)]);
        let m = messages("K801", FOREACH);
        assert_eq!(m[0], "Invalid type: BOOLEAN");
        assert_eq!(m[1], "Invalid type: io.kestra.plugin.core.flow.ForEach");
    }

    #[test]
    fn silent_on_loop_and_on_1_3() {
        assert_silent_1_3("K801", FOREACH);
        assert_silent(
            "K801",
            "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.Loop\n    values: [a]\n    tasks:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ item.value }}\"\n",
        );
    }

    #[test]
    fn fixes_input_types_echo_and_template() {
        use crate::rules::test_support::fixed;
        let head = "id: f\nnamespace: n\n";
        let log = "tasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: m\n";
        let yaml = format!("{head}inputs:\n  - id: b\n    type: BOOLEAN # flag\n{log}");
        assert_eq!(
            fixed("K801", &yaml),
            Some((yaml.replace("BOOLEAN", "BOOL"), true))
        );
        let echo = format!("{head}tasks:\n  - id: e\n    type: \"io.kestra.core.tasks.debugs.Echo\"\n    format: hi\n");
        assert_eq!(
            fixed("K801", &echo),
            Some((
                format!("{head}tasks:\n  - id: e\n    type: \"io.kestra.plugin.core.log.Log\"\n    message: hi\n"),
                true
            ))
        );
        let template = format!("{head}tasks:\n  - id: t\n    type: io.kestra.plugin.core.flow.Template\n    namespace: n\n    templateId: x\n");
        let (text, safe) = fixed("K801", &template).unwrap();
        assert!(!safe);
        assert!(
            text.contains(
                "type: io.kestra.plugin.core.flow.Subflow\n    namespace: n\n    flowId: x\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn for_each_becomes_a_loop_with_item_value() {
        let (text, safe) = crate::rules::test_support::fixed("K801", FOREACH_ONLY).unwrap();
        assert!(!safe);
        assert_eq!(
            text,
            "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.Loop\n    values: [a]\n    concurrencyLimit: 1\n    tasks:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ item.value }} {{ outputs.r.value }}\"\n      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: x\n"
        );
    }

    const FOREACH_ONLY: &str = "id: f\nnamespace: n\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [a]\n    tasks:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ taskrun.value }} {{ outputs.r[taskrun.value].value }}\"\n      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: x\n";

    #[test]
    fn no_fix_when_the_loop_is_read_from_outside_or_nested() {
        use crate::rules::test_support::fixed;
        let after = format!("{FOREACH_ONLY}  - id: after\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{{{ outputs.r }}}}\"\n");
        assert_eq!(fixed("K801", &after), None);
        let nested = FOREACH_ONLY.replace(
            "      - id: r\n        type: io.kestra.plugin.core.debug.Return\n        format: x\n",
            "      - id: inner\n        type: io.kestra.plugin.core.flow.ForEach\n        values: [b]\n        tasks:\n          - id: r\n            type: io.kestra.plugin.core.debug.Return\n            format: x\n",
        );
        assert_eq!(fixed("K801", &nested), None);
    }
}
