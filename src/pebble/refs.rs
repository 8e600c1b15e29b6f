//! What a parsed template uses: variable paths into the flow context,
//! function calls, filters and tests.

use std::collections::HashMap;

use super::ast::{Arg, Expr, ExprKind, Lit, Node, Span, TagKind, Template};

/// A variable path that refers to the flow context (not to a template
/// local), e.g. `outputs['my-task'].value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub root: String,
    pub root_span: Span,
    pub segments: Vec<Segment>,
    /// The whole path, root to last segment.
    pub span: Span,
}

/// One step of a [`Reference`] after its root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The attribute or key; `None` when the subscript is not a literal
    /// (`outputs.t[taskrun.value]`).  Integer subscripts give their digits.
    pub name: Option<String>,
    /// The attribute name, or the whole `[…]` subscript.
    pub span: Span,
    /// `true` for `[…]`, `false` for `.name`.
    pub bracket: bool,
}

/// A use of a function, filter or test by name.
#[derive(Clone, Debug, PartialEq)]
pub struct Invocation<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub args: &'a [Arg],
    /// The expression holding the use; `None` for the filters of a
    /// `{% filter %}` tag.
    pub expr: Option<&'a Expr>,
}

/// Calls `f` on every expression of the template, outer expressions before
/// the ones they contain, in source order.
pub fn walk<'a, F: FnMut(&'a Expr)>(template: &'a Template, f: &mut F) {
    for node in &template.nodes {
        match node {
            Node::Print { expr, .. } => walk_expr(expr, f),
            Node::Tag { kind, .. } => walk_tag(kind, f),
            Node::Text(_) | Node::Comment(_) | Node::Verbatim { .. } => {}
        }
    }
}

fn walk_tag<'a, F: FnMut(&'a Expr)>(kind: &'a TagKind, f: &mut F) {
    match kind {
        TagKind::If(e) | TagKind::ElseIf(e) => walk_expr(e, f),
        TagKind::For { iterable, .. } => walk_expr(iterable, f),
        TagKind::Set { value, .. } => walk_expr(value, f),
        TagKind::Filter(calls) => {
            for call in calls {
                walk_args(&call.args, f);
            }
        }
        TagKind::Macro { params, .. } => {
            for param in params {
                if let Some(default) = &param.default {
                    walk_expr(default, f);
                }
            }
        }
        _ => {}
    }
}

fn walk_args<'a, F: FnMut(&'a Expr)>(args: &'a [Arg], f: &mut F) {
    for arg in args {
        walk_expr(&arg.value, f);
    }
}

/// Calls `f` on `expr` and on every expression inside it (pre-order).  The
/// parser bounds tree depth, so the recursion is bounded too.
pub fn walk_expr<'a, F: FnMut(&'a Expr)>(expr: &'a Expr, f: &mut F) {
    f(expr);
    match &expr.kind {
        ExprKind::Literal(_) | ExprKind::Var(_) => {}
        ExprKind::List(items) | ExprKind::Interpolated(items) => {
            for item in items {
                walk_expr(item, f);
            }
        }
        ExprKind::Map(entries) => {
            for (k, v) in entries {
                walk_expr(k, f);
                walk_expr(v, f);
            }
        }
        ExprKind::Attr { target, args, .. } => {
            walk_expr(target, f);
            if let Some(args) = args {
                walk_args(args, f);
            }
        }
        ExprKind::Index { target, index } => {
            walk_expr(target, f);
            walk_expr(index, f);
        }
        ExprKind::Call { args, .. } => walk_args(args, f),
        ExprKind::Filter { target, args, .. } | ExprKind::Test { target, args, .. } => {
            walk_expr(target, f);
            walk_args(args, f);
        }
        ExprKind::Unary { operand, .. } => walk_expr(operand, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            walk_expr(lhs, f);
            walk_expr(rhs, f);
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            walk_expr(cond, f);
            if let Some(then) = then {
                walk_expr(then, f);
            }
            walk_expr(otherwise, f);
        }
    }
}

/// Every function (or macro) call: `name(…)`.
pub fn calls(template: &Template) -> Vec<Invocation<'_>> {
    let mut out = Vec::new();
    walk(template, &mut |e| {
        if let ExprKind::Call {
            name,
            name_span,
            args,
        } = &e.kind
        {
            out.push(Invocation {
                name,
                name_span: name_span.clone(),
                args,
                expr: Some(e),
            });
        }
    });
    out
}

/// Every filter: `x | name(…)` and the filters of `{% filter … %}` tags.
pub fn filters(template: &Template) -> Vec<Invocation<'_>> {
    let mut out = Vec::new();
    for node in &template.nodes {
        match node {
            Node::Print { expr, .. } => walk_expr(expr, &mut |e| push_filter(e, &mut out)),
            Node::Tag { kind, .. } => {
                if let TagKind::Filter(chain) = kind {
                    for call in chain {
                        out.push(Invocation {
                            name: &call.name,
                            name_span: call.name_span.clone(),
                            args: &call.args,
                            expr: None,
                        });
                    }
                }
                walk_tag(kind, &mut |e| push_filter(e, &mut out));
            }
            Node::Text(_) | Node::Comment(_) | Node::Verbatim { .. } => {}
        }
    }
    out
}

fn push_filter<'a>(e: &'a Expr, out: &mut Vec<Invocation<'a>>) {
    if let ExprKind::Filter {
        name,
        name_span,
        args,
        ..
    } = &e.kind
    {
        out.push(Invocation {
            name,
            name_span: name_span.clone(),
            args,
            expr: Some(e),
        });
    }
}

/// Every test: `x is name`, `x is not name(…)`.
pub fn tests(template: &Template) -> Vec<Invocation<'_>> {
    let mut out = Vec::new();
    walk(template, &mut |e| {
        if let ExprKind::Test {
            name,
            name_span,
            args,
            ..
        } = &e.kind
        {
            out.push(Invocation {
                name,
                name_span: name_span.clone(),
                args,
                expr: Some(e),
            });
        }
    });
    out
}

/// Names of the macros the template defines (calls to them are not
/// functions).
pub fn macro_names(template: &Template) -> Vec<&str> {
    template
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Tag {
                kind: TagKind::Macro { name, .. },
                ..
            } => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Root,
    For,
    Macro,
}

struct Frame {
    kind: FrameKind,
    names: Vec<String>,
}

/// Names bound by the template itself at some point of it.
struct Scope {
    frames: Vec<Frame>,
    /// For each bound name, the frames (indices) that bind it.
    bound: HashMap<String, Vec<usize>>,
    /// Indices of the open macro frames: a macro body sees only what is
    /// bound inside it.
    macros: Vec<usize>,
}

impl Scope {
    fn new() -> Self {
        Scope {
            frames: vec![Frame {
                kind: FrameKind::Root,
                names: Vec::new(),
            }],
            bound: HashMap::new(),
            macros: Vec::new(),
        }
    }

    fn is_local(&self, name: &str) -> bool {
        let floor = self.macros.last().copied().unwrap_or(0);
        self.bound
            .get(name)
            .is_some_and(|frames| frames.iter().rev().any(|&i| i >= floor))
    }

    fn bind_in(&mut self, index: usize, name: &str) {
        if let Some(frame) = self.frames.get_mut(index) {
            frame.names.push(name.to_string());
            self.bound.entry(name.to_string()).or_default().push(index);
        }
    }

    /// `set` stays visible after the block it appears in (Pebble's `if`
    /// opens no scope; inside a loop the value may outlive it), except in a
    /// macro body.
    fn bind(&mut self, name: &str) {
        let index = self
            .frames
            .iter()
            .rposition(|f| f.kind != FrameKind::For)
            .unwrap_or(0);
        self.bind_in(index, name);
    }

    fn push(&mut self, kind: FrameKind, names: &[String]) {
        let index = self.frames.len();
        self.frames.push(Frame {
            kind,
            names: Vec::new(),
        });
        if kind == FrameKind::Macro {
            self.macros.push(index);
        }
        for name in names {
            self.bind_in(index, name);
        }
    }

    /// Closes the innermost frame of `kind` (and any frame opened after it).
    fn pop(&mut self, kind: FrameKind) {
        let Some(idx) = self.frames.iter().rposition(|f| f.kind == kind) else {
            return;
        };
        while self.frames.len() > idx.max(1) {
            let Some(frame) = self.frames.pop() else {
                break;
            };
            let index = self.frames.len();
            for name in &frame.names {
                if let Some(list) = self.bound.get_mut(name) {
                    if let Some(pos) = list.iter().rposition(|&i| i == index) {
                        list.remove(pos);
                    }
                }
            }
            if self.macros.last() == Some(&index) {
                self.macros.pop();
            }
        }
    }
}

/// Every variable path that refers to the flow context, in source order.
///
/// Names bound by `{% for x in … %}` (with the implicit `loop`) inside the
/// loop body, by `{% set x = … %}` after the tag, and by macro parameters
/// inside the macro are left out.
pub fn references(template: &Template) -> Vec<Reference> {
    let mut scope = Scope::new();
    let mut out = Vec::new();
    for node in &template.nodes {
        match node {
            Node::Print { expr, .. } => refs_in(expr, &scope, &mut out),
            Node::Tag { name, kind, .. } => match kind {
                TagKind::If(e) | TagKind::ElseIf(e) => refs_in(e, &scope, &mut out),
                TagKind::For { vars, iterable } => {
                    refs_in(iterable, &scope, &mut out);
                    let mut names: Vec<String> = vars.iter().map(|(n, _)| n.clone()).collect();
                    names.push("loop".to_string());
                    scope.push(FrameKind::For, &names);
                }
                TagKind::EndFor => scope.pop(FrameKind::For),
                TagKind::Set { name, value, .. } => {
                    refs_in(value, &scope, &mut out);
                    scope.bind(name);
                }
                TagKind::Filter(chain) => {
                    for call in chain {
                        for arg in &call.args {
                            refs_in(&arg.value, &scope, &mut out);
                        }
                    }
                }
                TagKind::Macro { params, .. } => {
                    for param in params {
                        if let Some(default) = &param.default {
                            refs_in(default, &scope, &mut out);
                        }
                    }
                    let names: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
                    scope.push(FrameKind::Macro, &names);
                }
                TagKind::EndMacro => scope.pop(FrameKind::Macro),
                // Keep the nesting when a loop or macro tag was broken.
                TagKind::Invalid if name == "for" => scope.push(FrameKind::For, &[]),
                TagKind::Invalid if name == "macro" => scope.push(FrameKind::Macro, &[]),
                TagKind::Invalid if name == "endfor" => scope.pop(FrameKind::For),
                TagKind::Invalid if name == "endmacro" => scope.pop(FrameKind::Macro),
                _ => {}
            },
            Node::Text(_) | Node::Comment(_) | Node::Verbatim { .. } => {}
        }
    }
    out
}

/// Every variable path in one expression, with no template locals in scope.
pub fn references_in(expr: &Expr) -> Vec<Reference> {
    let mut out = Vec::new();
    refs_in(expr, &Scope::new(), &mut out);
    out
}

/// The root variable of an attribute/subscript chain, if it has one.
fn chain_root(mut expr: &Expr) -> Option<(&str, &Span)> {
    loop {
        match &expr.kind {
            ExprKind::Var(name) => return Some((name, &expr.span)),
            ExprKind::Attr { target, .. } | ExprKind::Index { target, .. } => expr = target,
            _ => return None,
        }
    }
}

fn literal_key(index: &Expr) -> Option<String> {
    match &index.kind {
        ExprKind::Literal(Lit::Str(s)) => Some(s.clone()),
        ExprKind::Literal(Lit::Int(i)) => Some(i.to_string()),
        _ => None,
    }
}

fn refs_in(expr: &Expr, scope: &Scope, out: &mut Vec<Reference>) {
    let Some((root, root_span)) = chain_root(expr) else {
        refs_in_children(expr, scope, out);
        return;
    };
    // Walk the chain from the outside in, collecting segments (reversed) and
    // the references inside subscripts and method arguments (reported after
    // the chain itself, which starts first in the source).
    let mut segments = Vec::new();
    let mut inner = Vec::new();
    let mut cur = expr;
    loop {
        match &cur.kind {
            ExprKind::Attr {
                target,
                name,
                name_span,
                args,
            } => {
                if let Some(args) = args {
                    for arg in args.iter().rev() {
                        let mut found = Vec::new();
                        refs_in(&arg.value, scope, &mut found);
                        inner.push(found);
                    }
                }
                segments.push(Segment {
                    name: Some(name.clone()),
                    span: name_span.clone(),
                    bracket: false,
                });
                cur = target;
            }
            ExprKind::Index { target, index } => {
                let mut found = Vec::new();
                refs_in(index, scope, &mut found);
                inner.push(found);
                segments.push(Segment {
                    name: literal_key(index),
                    span: target.span.end..cur.span.end,
                    bracket: true,
                });
                cur = target;
            }
            _ => break,
        }
    }
    if !scope.is_local(root) {
        segments.reverse();
        out.push(Reference {
            root: root.to_string(),
            root_span: root_span.clone(),
            segments,
            span: expr.span.clone(),
        });
    }
    // `inner` was filled from the outermost step inwards.
    for found in inner.into_iter().rev() {
        out.extend(found);
    }
}

fn refs_in_children(expr: &Expr, scope: &Scope, out: &mut Vec<Reference>) {
    let args_refs = |args: &[Arg], out: &mut Vec<Reference>| {
        for arg in args {
            refs_in(&arg.value, scope, out);
        }
    };
    match &expr.kind {
        ExprKind::Literal(_) | ExprKind::Var(_) => {}
        ExprKind::List(items) | ExprKind::Interpolated(items) => {
            for item in items {
                refs_in(item, scope, out);
            }
        }
        ExprKind::Map(entries) => {
            for (k, v) in entries {
                refs_in(k, scope, out);
                refs_in(v, scope, out);
            }
        }
        ExprKind::Attr { target, args, .. } => {
            refs_in(target, scope, out);
            if let Some(args) = args {
                args_refs(args, out);
            }
        }
        ExprKind::Index { target, index } => {
            refs_in(target, scope, out);
            refs_in(index, scope, out);
        }
        ExprKind::Call { args, .. } => args_refs(args, out),
        ExprKind::Filter { target, args, .. } | ExprKind::Test { target, args, .. } => {
            refs_in(target, scope, out);
            args_refs(args, out);
        }
        ExprKind::Unary { operand, .. } => refs_in(operand, scope, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            refs_in(lhs, scope, out);
            refs_in(rhs, scope, out);
        }
        ExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            refs_in(cond, scope, out);
            if let Some(then) = then {
                refs_in(then, scope, out);
            }
            refs_in(otherwise, scope, out);
        }
    }
}
