//! Every string value of a flow that holds Pebble (`{{`, `{%`, `{#`), parsed once per file,
//! with its place in the flow (pointer, owning task) and a map from the value back to the file.
//! Kestra renders dynamic properties — `script:` and `commands:` included — with Pebble, so
//! every string is parsed; text without delimiters costs one substring search.
//!
//! This is also the one place that decides whether and how Kestra renders a value, for every
//! P rule: not at all (descriptions, input `displayName`, flow `labels`, flow `variables` that
//! no `render()` reads), with the flow's own variables, or with another execution's (a Subflow
//! task's `outputs`, a Flow trigger's `inputs`).

use super::Flow;
use crate::diagnostic::Span;
use crate::pebble::{self, BinaryOp, Expr, ExprKind, Reference, Segment, Template};
use crate::schema::{Finding, FindingKind};
use crate::yaml::{map_scalar, Node, NodeKind, ScalarMap, ScalarStyle, ScalarValue};

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
    /// How Kestra renders the value (schema-static properties aside).
    pub rendering: Rendering,
}

/// How Kestra renders a string value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// With this flow's execution: `outputs`, `inputs`, `vars` are this flow's.
    Flow,
    /// Never: documentation, flow labels, a flow variable no `render()` reads.
    Not,
    /// With a Subflow's execution: the `outputs` map of a Subflow task.
    Subflow,
    /// With the triggering (upstream) execution: the `inputs` of a Flow trigger.
    Upstream,
}

impl ParsedString<'_> {
    /// The file span of a span inside the value.
    pub fn file_span(&self, span: Span) -> Span {
        match &self.map {
            Some(map) => map.span(span),
            None => self.node.span.clone(),
        }
    }

    /// The value as Kestra renders it (after YAML unescaping and folding).
    pub fn text(&self) -> &str {
        self.node.as_scalar().map_or("", |s| s.text.as_str())
    }

    /// How the value is written in the file.
    pub fn style(&self) -> ScalarStyle {
        self.node
            .as_scalar()
            .map_or(ScalarStyle::Plain, |s| s.style)
    }

    /// The file span of a segment's name: `name` in `.name`, the key inside `['name']`.
    pub fn segment_span(&self, segment: &Segment) -> Span {
        self.file_span(name_in_segment(self.text(), segment))
    }

    /// The file span of `span` when the file holds exactly the value's text there (no escape,
    /// no folded line break), so an edit of those bytes is an edit of the value.
    pub fn exact_file_span(&self, source: &str, span: Span) -> Option<Span> {
        self.map.as_ref()?;
        let file = self.file_span(span.clone());
        (source.get(file.clone())? == self.text().get(span)?).then_some(file)
    }

    /// Does Kestra render this value? Not when [`Rendering::Not`], nor when the schema marks
    /// its property static (`$dynamic: false`, reported by P110). Every P rule but P001 and
    /// P110 skips values that are not rendered.
    pub fn is_rendered(&self, schema_findings: &[Finding]) -> bool {
        self.rendering != Rendering::Not
            && !schema_findings.iter().any(|f| {
                f.pointer == self.pointer && matches!(f.kind, FindingKind::StaticExpression { .. })
            })
    }

    /// Is this value rendered with this flow's variables? Not when it is not rendered at all
    /// ([`Self::is_rendered`]), nor in a Subflow's `outputs` or a Flow trigger's `inputs`,
    /// which are rendered with another execution's variables.
    pub fn uses_flow_context(&self, _flow: &Flow<'_>, schema_findings: &[Finding]) -> bool {
        self.rendering == Rendering::Flow && self.is_rendered(schema_findings)
    }

    /// Is the expression at `span` protected against being undefined or null?
    pub fn is_guarded(&self, span: &Span) -> bool {
        self.guarded
            .iter()
            .any(|g| g.start <= span.start && span.end <= g.end)
    }
}

/// Parse every Pebble-bearing string of the flow. `recursive` says the server renders
/// variables recursively (an old server option, off by default): every flow variable is then
/// rendered.
pub fn collect<'a>(text: &str, flow: &Flow<'a>, recursive: bool) -> Vec<ParsedString<'a>> {
    let mut out = Vec::new();
    // Task pointers, so each value finds its innermost task by prefix.
    let task_pointers: Vec<&str> = flow.tasks.iter().map(|t| t.pointer.as_str()).collect();
    // Depth first in document order, with an explicit stack (deep YAML must not overflow the
    // thread's stack). The pointer is kept as segments and written out only for the values
    // that hold Pebble: most nodes hold none.
    enum Step<'n> {
        Key(&'n str),
        Index(usize),
    }
    let mut stack: Vec<(&'a Node, usize, Option<Step<'a>>)> = vec![(flow.root, 0, None)];
    let mut path: Vec<Step<'a>> = Vec::new();
    while let Some((node, depth, step)) = stack.pop() {
        path.truncate(depth);
        if let Some(step) = step {
            path.push(step);
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                for e in entries.iter().rev() {
                    let key = e.key_str().unwrap_or("");
                    stack.push((&e.value, path.len(), Some(Step::Key(key))));
                }
            }
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((item, path.len(), Some(Step::Index(i))));
                }
            }
            NodeKind::Scalar(s)
                if s.value == ScalarValue::Str && pebble::has_delimiters(&s.text) =>
            {
                let mut pointer = String::new();
                for step in &path {
                    pointer.push('/');
                    match step {
                        Step::Key(k) => pointer.push_str(&k.replace('~', "~0").replace('/', "~1")),
                        Step::Index(i) => pointer.push_str(&i.to_string()),
                    }
                }
                let template = pebble::parse_template(&s.text);
                let guarded = guarded_spans(&template);
                let task = innermost_task(&task_pointers, &pointer);
                let rendering = rendering(flow, task, &pointer);
                out.push(ParsedString {
                    node,
                    map: map_scalar(text, node),
                    pointer,
                    template,
                    task,
                    guarded,
                    rendering,
                });
            }
            _ => {}
        }
    }
    if !recursive {
        unrender_variables(&mut out);
    }
    out
}

/// How a value at `pointer` is rendered, variables aside.
fn rendering(flow: &Flow<'_>, task: Option<usize>, pointer: &str) -> Rendering {
    let mut parts = pointer.split('/').skip(1);
    let (first, second, third) = (parts.next(), parts.next(), parts.next());
    let index = |s: Option<&str>| s.is_some_and(|s| s.parse::<usize>().is_ok());
    let documentation = pointer == "/description"
        || (matches!(first, Some("inputs" | "outputs"))
            && index(second)
            && matches!(third, Some("description" | "displayName"))
            && parts.next().is_none());
    // Flow labels are copied to executions as written.
    if documentation || first == Some("labels") {
        return Rendering::Not;
    }
    if let Some(t) = task.and_then(|t| flow.tasks.get(t)) {
        let subflow_outputs = t.type_name().is_some_and(|ty| SUBFLOW.contains(&ty))
            && pointer
                .strip_prefix(t.pointer.as_str())
                .is_some_and(|rest| rest.starts_with("/outputs/"));
        if subflow_outputs {
            return Rendering::Subflow;
        }
    }
    if first == Some("triggers") && index(second) && third == Some("inputs") {
        let flow_trigger = second
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| {
                flow.triggers
                    .iter()
                    .find(|t| t.pointer == format!("/triggers/{i}"))
            })
            .and_then(|t| t.type_name())
            .is_some_and(|ty| super::types::is(ty, super::types::FLOW_TRIGGER));
        if flow_trigger {
            return Rendering::Upstream;
        }
    }
    Rendering::Flow
}

/// Root variables of Kestra's expression context that cannot hold a flow variable's text.
const CONTEXT_ROOTS: &[&str] = &[
    "outputs",
    "inputs",
    "trigger",
    "execution",
    "flow",
    "labels",
    "taskrun",
    "task",
    "parent",
    "parents",
    "envs",
    "globals",
    "tasks",
    "kestra",
];

/// The flow variable a pointer lies in (`/variables/a/b` → `a`).
fn variable_of(pointer: &str) -> Option<String> {
    let key = pointer.strip_prefix("/variables/")?.split('/').next()?;
    Some(key.replace("~1", "/").replace("~0", "~"))
}

/// Kestra prints a variable's text as written: `{{ vars.x }}` gives `{{ inputs.y }}`, not the
/// input. Only `render(vars.x)` (or `renderOnce`) renders it, so a variable is marked
/// [`Rendering::Not`] unless a rendered value (possibly another rendered variable) passes it to
/// `render()`. `render(vars)` or a computed key renders them all.
fn unrender_variables(strings: &mut [ParsedString<'_>]) {
    let mut rendered: Vec<String> = Vec::new();
    let mut all = false;
    loop {
        let before = (rendered.len(), all);
        for s in strings.iter() {
            let counts = match variable_of(&s.pointer) {
                Some(v) => rendered.contains(&v) || all,
                None => s.rendering != Rendering::Not,
            };
            if !counts {
                continue;
            }
            for call in pebble::calls(&s.template) {
                if !matches!(call.name, "render" | "renderOnce") {
                    continue;
                }
                let Some(arg) = call.args.first() else {
                    continue;
                };
                let mut found = false;
                for r in pebble::references_in(&arg.value) {
                    if r.root != "vars" {
                        continue;
                    }
                    found = true;
                    match first_name(&r) {
                        Some((name, _)) => {
                            if !rendered.iter().any(|v| v == name) {
                                rendered.push(name.to_string());
                            }
                        }
                        None => all = true,
                    }
                }
                // `render(x)` of a `{% set %}` name or a loop item may hold any variable.
                if !found {
                    all |= pebble::references_in(&arg.value)
                        .iter()
                        .any(|r| !CONTEXT_ROOTS.contains(&r.root.as_str()));
                }
            }
        }
        if (rendered.len(), all) == before {
            break;
        }
    }
    for s in strings.iter_mut() {
        if let Some(v) = variable_of(&s.pointer) {
            if !all && !rendered.contains(&v) {
                s.rendering = Rendering::Not;
            }
        }
    }
}

/// Subflow task types (their `outputs` map reads the subflow's outputs).
const SUBFLOW: &[&str] = &[
    "io.kestra.plugin.core.flow.Subflow",
    "io.kestra.core.tasks.flows.Subflow",
    "io.kestra.core.tasks.flows.Flow",
];

const FOR_EACH_ITEM: &[&str] = &[
    "io.kestra.plugin.core.flow.ForEachItem",
    "io.kestra.core.tasks.flows.ForEachItem",
];

const TEMPLATE: &[&str] = &[
    "io.kestra.plugin.core.flow.Template",
    "io.kestra.core.tasks.flows.Template",
];

/// The ids `outputs.<id>` and `tasks.<id>` may name: every task id, and the tasks a ForEachItem
/// runs under its own id (`<id>_split`, `<id>_items`, `<id>_merge`). `None` when the flow uses
/// a Template task, whose tasks are not in the file.
pub fn task_output_ids(flow: &Flow<'_>) -> Option<Vec<String>> {
    let mut ids = Vec::new();
    for task in &flow.tasks {
        let ty = task.type_name().unwrap_or("");
        if TEMPLATE.contains(&ty) {
            return None;
        }
        let Some(id) = task.id() else { continue };
        ids.push(id.to_string());
        if FOR_EACH_ITEM.contains(&ty) {
            ids.extend(["split", "items", "merge"].map(|s| format!("{id}_{s}")));
        }
    }
    Some(ids)
}

/// The first step of a reference when it is a literal name (`outputs.t`, `outputs['t']`).
pub fn first_name(reference: &Reference) -> Option<(&str, &Segment)> {
    let segment = reference.segments.first()?;
    Some((segment.name.as_deref()?, segment))
}

/// A reference Pebble splits at a dash: `inputs.a-b` is read as `inputs.a - b`, and
/// `outputs.my-task.uri` as `outputs.my - task.uri`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashed {
    /// `inputs`, `outputs` or `tasks`.
    pub root: String,
    /// The value span of `a` in `inputs.a-b`.
    pub first: Span,
    /// The names the text spells with dashes, longest first, each with its value span from
    /// the root to the end of the name (`inputs.a-b-c`, then `inputs.a-b`).
    pub names: Vec<(String, Span)>,
}

impl Dashed {
    /// From the root to the end of the longest name.
    pub fn span(&self) -> Span {
        self.names
            .first()
            .map_or(self.first.clone(), |(_, span)| span.clone())
    }

    /// Is the value span `span` part of this reference after its first name (`b` or `c`)?
    pub fn covers(&self, span: &Span) -> bool {
        span.start > self.first.end && span.start < self.span().end
    }
}

/// Every subtraction whose left side ends in `inputs.a`, `outputs.a` or `tasks.a` and whose
/// right side starts right after the `-`, with no space (`inputs.a-b`).
pub fn dashed_references(template: &Template, text: &str) -> Vec<Dashed> {
    let mut out = Vec::new();
    pebble::refs::walk(template, &mut |e: &Expr| {
        let ExprKind::Binary {
            op: BinaryOp::Sub,
            lhs,
            rhs,
        } = &e.kind
        else {
            return;
        };
        let leaf = rightmost(lhs);
        let ExprKind::Attr {
            target,
            name,
            name_span,
            args: None,
        } = &leaf.kind
        else {
            return;
        };
        let ExprKind::Var(root) = &target.kind else {
            return;
        };
        let next = leftmost(rhs);
        let adjacent = next.span.start == leaf.span.end + 1
            && text.get(leaf.span.end..next.span.start) == Some("-")
            && matches!(
                next.kind,
                ExprKind::Var(_) | ExprKind::Literal(pebble::Lit::Int(_))
            );
        if !adjacent || !matches!(root.as_str(), "inputs" | "outputs" | "tasks") {
            return;
        }
        let mut names = Vec::new();
        let mut joined = name.clone();
        let mut end = name_span.end;
        while let Some(after) = text.get(end..).and_then(|r| r.strip_prefix('-')) {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if len == 0 {
                break;
            }
            joined.push('-');
            joined.push_str(&after[..len]);
            end += 1 + len;
            names.push((joined.clone(), target.span.start..end));
        }
        names.reverse();
        out.push(Dashed {
            root: root.clone(),
            first: name_span.clone(),
            names,
        });
    });
    out
}

/// The last operand of an expression, looking through binary operators and prefixes.
fn rightmost(mut e: &Expr) -> &Expr {
    loop {
        match &e.kind {
            ExprKind::Binary { rhs, .. } => e = rhs,
            ExprKind::Unary { operand, .. } => e = operand,
            _ => return e,
        }
    }
}

/// The first operand of an expression: the `b` of `b.x | upper * 2`.
fn leftmost(mut e: &Expr) -> &Expr {
    loop {
        match &e.kind {
            ExprKind::Binary { lhs: target, .. }
            | ExprKind::Attr { target, .. }
            | ExprKind::Index { target, .. }
            | ExprKind::Filter { target, .. }
            | ExprKind::Test { target, .. }
            | ExprKind::Ternary { cond: target, .. } => e = target,
            _ => return e,
        }
    }
}

/// `name` in `.name`; the key inside `['name']` (quotes and spaces left out).
fn name_in_segment(text: &str, segment: &Segment) -> Span {
    let span = segment.span.clone();
    let Some(raw) = text.get(span.clone()).filter(|_| segment.bracket) else {
        return span;
    };
    let mut start = usize::from(raw.starts_with('['));
    let mut end = raw.len() - usize::from(raw.len() > start && raw.ends_with(']'));
    let inner = &raw[start..end];
    start += inner.len() - inner.trim_start().len();
    end -= inner.len() - inner.trim_end().len();
    let core = raw.get(start..end).unwrap_or("");
    let quoted = |q: char| core.len() >= 2 && core.starts_with(q) && core.ends_with(q);
    if quoted('\'') || quoted('"') {
        start += 1;
        end -= 1;
    }
    span.start + start..span.start + end.max(start)
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
        let strings = collect(yaml, &flow, false);
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

    #[test]
    fn dashed_references_and_bracket_names() {
        let text = "{{ inputs.a-b-c | upper }} {{ outputs.my-task.uri }} {{ inputs.x - y }} {{ outputs['k'] }}";
        let template = pebble::parse_template(text);
        let dashed = dashed_references(&template, text);
        assert_eq!(dashed.len(), 2);
        let names: Vec<&str> = dashed[0].names.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a-b-c", "a-b"]);
        assert_eq!(&text[dashed[0].span()], "inputs.a-b-c");
        assert_eq!(&text[dashed[1].span()], "outputs.my-task");
        let refs = pebble::refs::references(&template);
        let task = refs.iter().find(|r| r.root == "task").unwrap();
        assert!(dashed[1].covers(&task.root_span));
        let bracket = refs
            .iter()
            .find(|r| r.root == "outputs" && r.segments[0].bracket);
        let segment = &bracket.unwrap().segments[0];
        assert_eq!(&text[name_in_segment(text, segment)], "k");
    }
}
