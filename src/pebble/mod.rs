//! Pebble templates as Kestra renders them: an offline, dependency-free
//! parser for `{{ … }}`, `{% … %}` and `{# … #}` in flow property values.
//!
//! * [`parse_template`] turns a property value into a [`Template`]: a flat
//!   list of [`Node`]s plus every syntax error found (at most one per
//!   delimited block), with byte spans into the value.
//! * [`parse_expression`] parses a bare expression.
//! * [`refs`] lists what a template uses (flow-context variables, functions,
//!   filters, tests); [`names`] lists what Kestra provides, with
//!   deprecations and a did-you-mean helper.
//!
//! The lexer and the precedence-climbing parser follow Pebble 3's
//! `LexerImpl` and `ExpressionParser` with Kestra's extensions (`??`, `???`,
//! removed tags, `{% raw %}` pre-processing); the operator table is
//! [`parser::PRECEDENCE`].  Nothing here panics on any input, recursion is
//! bounded ([`parser::MAX_RECURSION`], [`parser::MAX_TREE_DEPTH`]) and the
//! work is linear in the input size.
//!
//! Known, deliberate differences from Kestra's runtime:
//! * `in`, `not in` and `isIn` are accepted as binary operators, so `in` is
//!   not usable as a variable name;
//! * `{% raw %}` blocks may span lines (Kestra's pattern stops at a line end);
//!   a raw block inside an expression is not emulated;
//! * names may use any Unicode letter or digit (Pebble: letters and decimal
//!   digits only);
//! * Pebble loops forever on a backslash ending an unclosed `"` string; this
//!   parser reports the unclosed string.

pub mod ast;
pub mod lexer;
pub mod names;
pub mod parser;
pub mod refs;

#[cfg(test)]
mod tests;

pub use ast::{
    Arg, BinaryOp, Expr, ExprKind, FilterCall, Lit, MacroParam, Node, Span, SyntaxError, TagKind,
    Template, UnaryOp,
};
pub use parser::{has_delimiters, parse_expression, parse_template};
pub use refs::{
    calls, filters, macro_names, references, references_in, tests, walk, walk_expr, Invocation,
    Reference, Segment,
};
