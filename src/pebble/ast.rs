//! Syntax tree of a Pebble template, as Kestra renders it.
//!
//! Every [`Span`] is a byte range into the string that was handed to the
//! parser; spans always start and end on `char` boundaries.

use std::fmt;

/// Byte offsets into the template string given to the parser.
pub type Span = std::ops::Range<usize>;

/// A parsed template: the flat list of its parts, in source order, and every
/// syntax error found (at most one per `{{ }}` / `{% %}` / `{# #}` block).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Template {
    pub nodes: Vec<Node>,
    pub errors: Vec<SyntaxError>,
}

/// A syntax error, with a message written for the flow author and the exact
/// place it applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

impl SyntaxError {
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        SyntaxError {
            message: message.into(),
            span,
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (bytes {}..{})",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for SyntaxError {}

/// One part of a template.
///
/// Blocks that hold a syntax error produce no `Print` node; a structural tag
/// (`if`, `for`, …) whose arguments are broken is kept as a `Tag` with
/// [`TagKind::Invalid`] so that the nesting stays checkable.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Plain text, copied to the output as is.
    Text(Span),
    /// `{{ expr }}`; `span` covers the delimiters.
    Print { expr: Expr, span: Span },
    /// `{% name … %}`; `span` covers the delimiters.
    Tag {
        name: String,
        name_span: Span,
        kind: TagKind,
        span: Span,
    },
    /// `{# … #}`, delimiters included.
    Comment(Span),
    /// `{% verbatim %}…{% endverbatim %}` (Pebble) or `{% raw %}…{% endraw %}`
    /// (a Kestra pre-processing step): `content` is never parsed.
    Verbatim {
        span: Span,
        content: Span,
        raw: bool,
    },
}

/// What a `{% %}` tag says.
#[derive(Clone, Debug, PartialEq)]
pub enum TagKind {
    If(Expr),
    ElseIf(Expr),
    /// `else` of an `if` or of a `for`.
    Else,
    EndIf,
    /// Pebble's `for` binds exactly one loop variable (plus the implicit
    /// `loop`); `vars` has one entry.
    For {
        vars: Vec<(String, Span)>,
        iterable: Expr,
    },
    EndFor,
    Set {
        name: String,
        name_span: Span,
        value: Expr,
    },
    Block {
        name: String,
        name_span: Span,
    },
    EndBlock,
    /// `{% filter a | b(x) %}`: the chain of filters applied to the body.
    Filter(Vec<FilterCall>),
    EndFilter,
    Macro {
        name: String,
        name_span: Span,
        params: Vec<MacroParam>,
    },
    EndMacro,
    /// A tag Kestra removed (`include`, `import`, `extends`, …) or that
    /// Pebble never had; reported by the linter, not by the parser.
    Unknown,
    /// A known tag whose arguments hold a syntax error (already reported).
    Invalid,
}

/// One filter of a `{% filter %}` tag.
#[derive(Clone, Debug, PartialEq)]
pub struct FilterCall {
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Arg>,
    pub span: Span,
}

/// One parameter of a `{% macro %}` tag.
#[derive(Clone, Debug, PartialEq)]
pub struct MacroParam {
    pub name: String,
    pub name_span: Span,
    pub default: Option<Expr>,
}

/// An expression with its source range.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Lit),
    /// A double-quoted string with `#{ … }` interpolation: its parts in
    /// order, literal text as [`Lit::Str`] (raw, as Pebble keeps it) and the
    /// interpolated expressions.
    Interpolated(Vec<Expr>),
    List(Vec<Expr>),
    Map(Vec<(Expr, Expr)>),
    Var(String),
    /// `target.name`, or a method call `target.name(args)` when `args` is set.
    Attr {
        target: Box<Expr>,
        name: String,
        name_span: Span,
        args: Option<Vec<Arg>>,
    },
    /// `target[index]`.
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
    /// `name(args)`: a function or a macro.
    Call {
        name: String,
        name_span: Span,
        args: Vec<Arg>,
    },
    /// `target | name` or `target | name(args)`.
    Filter {
        target: Box<Expr>,
        name: String,
        name_span: Span,
        args: Vec<Arg>,
    },
    /// `target is name`, `target is not name(args)`.
    Test {
        target: Box<Expr>,
        negated: bool,
        name: String,
        name_span: Span,
        args: Vec<Arg>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `cond ? then : otherwise`; `then` is `None` for the elvis form
    /// `cond ?: otherwise`, which Pebble rejects (an error is reported).
    Ternary {
        cond: Box<Expr>,
        then: Option<Box<Expr>>,
        otherwise: Box<Expr>,
    },
}

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    /// A string without interpolation; escaped quotes are unescaped the way
    /// Pebble does it (only `\'` in single quotes and `\"` in double quotes).
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

/// A call argument; `name` is set for named arguments (`key='x'`).
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub name: Option<(String, Span)>,
    pub value: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Not,
    Neg,
    Pos,
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Not => "not",
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
        }
    }
}

/// Binary operators other than `|` (filter) and `is` / `is not` (test),
/// which have their own expression kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Contains,
    Eq,
    Equals,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Concat,
    Range,
    /// Kestra `??`: null-coalescing.
    NullCoalesce,
    /// Kestra `???`: undefined-coalescing.
    UndefinedCoalesce,
    /// `in` (Kestra, see [`super::parser::PRECEDENCE`]).
    In,
    /// `not in` (Kestra).
    NotIn,
    /// `isIn` (newer Kestra).
    IsIn,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Contains => "contains",
            BinaryOp::Eq => "==",
            BinaryOp::Equals => "equals",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Gt => ">",
            BinaryOp::Le => "<=",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Concat => "~",
            BinaryOp::Range => "..",
            BinaryOp::NullCoalesce => "??",
            BinaryOp::UndefinedCoalesce => "???",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::IsIn => "isIn",
        }
    }
}
