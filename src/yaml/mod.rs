//! YAML with spans: a tree where every node knows its bytes, plus YAML-level findings.

pub mod edit;
mod node;
mod parse;
mod scalar_map;
#[cfg(test)]
mod tests;

pub use node::{resolve_plain, Entry, Node, NodeKind, Scalar, ScalarStyle, ScalarValue};
pub use parse::{
    parse, quote_template, Comment, CommentPlacement, Document, DuplicateKey, SyntaxError,
};
pub use scalar_map::{map_scalar, ScalarMap};
