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
        let text = &ctx.source.text;
        for removed in removed_types(flow) {
            let fix = match removed.task {
                Some(i) if removed.help.contains("flow.Loop") => {
                    crate::rewrite::loops::to_loop(text, flow, ctx.templates, i)
                }
                _ => crate::rewrite::types::removed_type_fix(
                    text,
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
}
