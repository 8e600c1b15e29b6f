//! kestra-lint: an offline linter for Kestra flow files.
//!
//! The pipeline runs one way: discover → read → [`yaml::parse`] → [`flow::Flow`] view →
//! rules → report.

pub mod diagnostic;
pub mod source;
pub mod yaml;
