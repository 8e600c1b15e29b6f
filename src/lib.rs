//! kestra-lint: an offline linter for Kestra flow files.
//!
//! The pipeline runs one way: [`discover`] → read → [`yaml::parse`] → [`flow::Flow`] view →
//! [`rules`] → [`report`]. [`engine`] ties one file's steps together; [`cli`] runs many files in
//! parallel.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod engine;
pub mod facts;
pub mod fix;
pub mod flow;
pub mod limits;
pub mod migrate;
pub mod output;
pub mod pebble;
pub mod repo_index;
pub mod report;
pub mod rewrite;
pub mod rules;
pub mod safe_write;
pub mod schema;
pub mod schema_cmd;
pub mod server;
pub mod source;
pub mod stdin;
pub mod suggest;
pub mod suppress;
pub mod workspace;
pub mod yaml;
