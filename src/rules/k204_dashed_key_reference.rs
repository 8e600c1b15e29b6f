use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::values::sub_span;
use crate::yaml::{Node, NodeKind, ScalarValue};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K204",
    name: "dashed-key-reference",
    severity: Severity::Error,
    summary: "`inputs.my-input` or `outputs.my-task` in an expression: a dash needs bracket syntax",
    docs: r#"## What it does
Reports, inside `{{ … }}` and `{% … %}`, a reference `inputs.<id>` to a declared input whose id
contains a dash, and `outputs.<id>` to a task whose id contains a dash. Pebble reads
`inputs.server-fqn` as `inputs.server - fqn`, a subtraction. The finding points at the reference
itself inside the string.

## Why
Kestra refuses such flows (issue #4090): `Invalid input reference: use inputs[key-name] instead of
inputs.key-name — keys with dashes require bracket notation, offending tasks: [...]` and the same
`Invalid output reference` for outputs, for tasks and flow outputs. Kestra finds them with a
regular expression over each task's own fields (`{{ inputs.<id> }}` alone between the braces);
this rule is as textual but finds the reference anywhere in an expression, in any part of the
flow. Same in Kestra 1.x and 2.0.

## Example
```yaml
inputs:
  - id: server-fqn
    type: STRING
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.server-fqn }}"      # K204
```
Use instead: `message: "{{ inputs['server-fqn'] }}"` (or rename the input `server_fqn`).
"#,
    fixable: false,
    enabled_by_default: true,
};

/// Byte ranges of the insides of `{{ … }}` and `{% … %}` (to the end of the text if unclosed).
fn expression_regions(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find(['{']) {
        let start = at + i;
        let close = match text.get(start + 1..start + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let inner = start + 2;
        let end = text[inner..].find(close).map_or(text.len(), |j| inner + j);
        out.push(inner..end);
        at = (end + 2).min(text.len());
        if at >= text.len() {
            break;
        }
    }
    out
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let mut refs: Vec<(String, &str)> = Vec::new();
        for id in flow.inputs.iter().filter_map(|i| i.input_id()) {
            if id.contains('-') {
                refs.push((format!("inputs.{id}"), "input"));
            }
        }
        for id in flow.tasks.iter().filter_map(|t| t.id()) {
            if id.contains('-') {
                refs.push((format!("outputs.{id}"), "output"));
            }
        }
        if refs.is_empty() {
            return;
        }
        let text = ctx.source.text.as_str();
        let mut stack: Vec<&Node> = vec![flow.root];
        while let Some(node) = stack.pop() {
            let s = match &node.kind {
                NodeKind::Map(entries) => {
                    stack.extend(entries.iter().rev().map(|e| &e.value));
                    continue;
                }
                NodeKind::Seq(items) => {
                    stack.extend(items.iter().rev());
                    continue;
                }
                NodeKind::Scalar(s) if s.value == ScalarValue::Str => s,
                _ => continue,
            };
            for region in expression_regions(&s.text) {
                let inner = &s.text[region.clone()];
                for (reference, what) in &refs {
                    let mut from = 0;
                    while let Some(i) = inner[from..].find(reference.as_str()) {
                        let at = from + i;
                        from = at + reference.len();
                        let before_ok = inner[..at]
                            .chars()
                            .next_back()
                            .is_none_or(|c| !(is_id_char(c) || c == '.'));
                        let after_ok = inner[from..].chars().next().is_none_or(|c| !is_id_char(c));
                        if !(before_ok && after_ok) {
                            continue;
                        }
                        let (root, key) = reference.split_once('.').unwrap_or_default();
                        let start = region.start + at;
                        out.push(
                            META.diag(
                                format!(
                                    "Invalid {what} reference: use {root}['{key}'] instead of {reference} — keys with dashes require bracket notation"
                                ),
                                sub_span(text, node, start..start + reference.len()),
                            )
                            .with_label(format!("read as `{}` minus …", reference.split('-').next().unwrap_or_default()))
                            .with_help(format!("write `{root}['{key}']`")),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn fires_on_inputs_and_outputs_references() {
        assert_fires(
            "K204",
            r#"id: f
namespace: n
inputs:
  - id: server-fqn
    type: STRING
tasks:
  - id: produce-output
    type: io.kestra.plugin.core.debug.Return
    format: "{{inputs.server-fqn}}"
  - id: use
    type: io.kestra.plugin.core.log.Log
    message: |
      The output is {{ outputs.produce-output.value | upper }}
outputs:
  - id: final
    type: STRING
    value: x {{ outputs.produce-output.value }}
"#,
            &[(9, 16), (13, 24), (17, 17)],
        );
    }

    #[test]
    fn silent_on_brackets_plain_text_and_subtraction() {
        assert_silent(
            "K204",
            r#"id: f
namespace: n
inputs:
  - id: server-fqn
    type: STRING
  - id: count
    type: INT
tasks:
  - id: t
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs['server-fqn'] }} inputs.server-fqn {{ inputs.count-1 }} {{ inputs.server-fqnx }}"
"#,
        );
    }
}
