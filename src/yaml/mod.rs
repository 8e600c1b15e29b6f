//! YAML with spans: a tree where every node knows its bytes, plus YAML-level findings.

mod node;
mod parse;
#[cfg(test)]
mod tests;

pub use node::{resolve_plain, Entry, Node, NodeKind, Scalar, ScalarStyle, ScalarValue};
pub use parse::{parse, Comment, CommentPlacement, Document, DuplicateKey, SyntaxError};
