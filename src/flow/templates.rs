//! Every string value of a flow that holds Pebble (`{{`, `{%`, `{#`), parsed once per file,
//! with its place in the flow (pointer, owning task) and a map from the value back to the file.
//! Kestra renders dynamic properties — `script:` and `commands:` included — with Pebble, so
//! every string is checked; text without delimiters costs one substring search.

use super::Flow;
use crate::diagnostic::Span;
use crate::pebble::{self, BinaryOp, Expr, ExprKind, Template};
use crate::yaml::{map_scalar, Node, NodeKind, ScalarMap, ScalarValue};

/// One string value that holds Pebble.
#[derive(Debug)]
pub struct ParsedString<'a> {
    pub node: &'a Node,
    /// JSON pointer of the value.
    pub pointer: String,
    pub template: Template,
    /// `None` when the value could not be aligned with the source (whole-scalar spans then).
    pub map: Option<ScalarMap>,
    /// Index in [`Flow::tasks`] of the innermost task holding this value.
    pub task: Option<usize>,
    /// Spans (in the value) of expressions whose undefined or null value is handled:
    /// left of `??`/`???`, tested with `is defined`/`is null`/`is empty`, piped to `default`.
    guarded: Vec<Span>,
}

impl ParsedString<'_> {
    /// The file span of a span inside the value.
    pub fn file_span(&self, span: Span) -> Span {
        match &self.map {
            Some(map) => map.span(span),
            None => self.node.span.clone(),
        }
    }

    /// Is the expression at `span` protected against being undefined or null?
    pub fn is_guarded(&self, span: &Span) -> bool {
        self.guarded
            .iter()
            .any(|g| g.start <= span.start && span.end <= g.end)
    }
}

/// Parse every Pebble-bearing string of the flow.
pub fn collect<'a>(text: &str, flow: &Flow<'a>) -> Vec<ParsedString<'a>> {
    let mut out = Vec::new();
    // Task pointers, so each value finds its innermost task by prefix.
    let task_pointers: Vec<&str> = flow.tasks.iter().map(|t| t.pointer.as_str()).collect();
    let mut stack: Vec<(&'a Node, String)> = vec![(flow.root, String::new())];
    while let Some((node, pointer)) = stack.pop() {
        match &node.kind {
            NodeKind::Map(entries) => {
                for e in entries.iter().rev() {
                    let key = e
                        .key_str()
                        .unwrap_or("")
                        .replace('~', "~0")
                        .replace('/', "~1");
                    stack.push((&e.value, format!("{pointer}/{key}")));
                }
            }
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((item, format!("{pointer}/{i}")));
                }
            }
            NodeKind::Scalar(s)
                if s.value == ScalarValue::Str && pebble::has_delimiters(&s.text) =>
            {
                let template = pebble::parse_template(&s.text);
                let guarded = guarded_spans(&template);
                let task = innermost_task(&task_pointers, &pointer);
                out.push(ParsedString {
                    node,
                    map: map_scalar(text, node),
                    pointer,
                    template,
                    task,
                    guarded,
                });
            }
            _ => {}
        }
    }
    out
}

fn innermost_task(task_pointers: &[&str], pointer: &str) -> Option<usize> {
    task_pointers
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            pointer
                .strip_prefix(**t)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|(_, t)| t.len())
        .map(|(i, _)| i)
}

fn guarded_spans(template: &Template) -> Vec<Span> {
    let mut out = Vec::new();
    pebble::refs::walk(template, &mut |e: &Expr| match &e.kind {
        ExprKind::Binary {
            op: BinaryOp::NullCoalesce | BinaryOp::UndefinedCoalesce,
            lhs,
            ..
        } => out.push(lhs.span.clone()),
        ExprKind::Test { target, name, .. }
            if matches!(name.as_str(), "defined" | "null" | "empty") =>
        {
            out.push(target.span.clone())
        }
        ExprKind::Filter { target, name, .. } if name == "default" => out.push(target.span.clone()),
        _ => {}
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn finds_strings_with_owner_task_and_guards() {
        let yaml = "id: f\nnamespace: n\nvariables:\n  v: \"{{ now() }}\"\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.flow.Sequential\n    tasks:\n      - id: b\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ trigger.date ?? now() }} {{ x is defined }} plain\"\n";
        let doc = parse(yaml);
        let root = doc.root.unwrap();
        let flow = Flow::new(&root);
        let strings = collect(yaml, &flow);
        assert_eq!(strings.len(), 2);
        assert_eq!(strings[0].pointer, "/variables/v");
        assert_eq!(strings[0].task, None);
        let msg = &strings[1];
        assert_eq!(flow.tasks[msg.task.unwrap()].id(), Some("b"));
        let refs = pebble::refs::references(&msg.template);
        let trigger = refs.iter().find(|r| r.root == "trigger").unwrap();
        assert!(msg.is_guarded(&trigger.span));
        assert_eq!(&yaml[msg.file_span(trigger.span.clone())], "trigger.date");
    }
}
