//! Output formats. Each renders the same sorted list of per-file results.

mod common;
mod concise;
mod full;
mod github;
mod gitlab;
mod json;
mod junit;
mod sarif;
pub mod statistics;
pub mod style;

use std::path::PathBuf;

use crate::diagnostic::Severity;
use crate::engine::FileReport;
pub use style::{ColorChoice, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with every label and help (default).
    Full,
    /// One line per finding: `path:line:col: severity[CODE]: message`.
    Concise,
    /// A JSON array of findings.
    Json,
    /// One JSON object per finding and line.
    JsonLines,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF consumers).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML: one test case per flow.
    Junit,
}

impl OutputFormat {
    /// Formats read by people; the others are parsed by programs, so nothing else may go to
    /// their output (the summary goes to stderr instead).
    pub fn is_human(self) -> bool {
        matches!(self, OutputFormat::Full | OutputFormat::Concise)
    }
}

/// Everything a format may need besides the findings.
#[derive(Debug, Clone)]
pub struct RenderContext {
    pub style: Style,
    /// The level that fails the run; JUnit marks a flow failed at this level.
    pub fail_on: Severity,
    /// The directory the run started in: SARIF, GitHub and GitLab paths are relative to it.
    pub cwd: PathBuf,
    /// Whether this run applies unsafe fixes: `full` and `concise` mark with `[*]` the
    /// findings `--fix` would fix, so with this the unsafe ones too.
    pub unsafe_fixes: bool,
}

impl RenderContext {
    pub fn new(style: Style, fail_on: Severity) -> Self {
        Self {
            style,
            fail_on,
            cwd: std::env::current_dir().unwrap_or_default(),
            unsafe_fixes: false,
        }
    }
}

/// Render every finding of every file, in order, with the default context.
pub fn render(format: OutputFormat, files: &[FileReport], style: &Style) -> String {
    render_with(
        format,
        files,
        &RenderContext::new(style.clone(), Severity::Error),
    )
}

/// Render every finding of every file, in order.
pub fn render_with(format: OutputFormat, files: &[FileReport], ctx: &RenderContext) -> String {
    let mut out = String::new();
    match format {
        OutputFormat::Full => {
            for (file, diag) in common::each(files) {
                let fixable = crate::fix::is_applicable(diag, ctx.unsafe_fixes);
                full::render(&mut out, &file.source, diag, &ctx.style, fixable);
                out.push('\n');
            }
        }
        OutputFormat::Concise => {
            for (file, diag) in common::each(files) {
                let fixable = crate::fix::is_applicable(diag, ctx.unsafe_fixes);
                concise::render(&mut out, &file.source, diag, &ctx.style, fixable);
            }
        }
        OutputFormat::Json => json::render(&mut out, files, false),
        OutputFormat::JsonLines => json::render(&mut out, files, true),
        OutputFormat::Sarif => sarif::render(&mut out, files, ctx),
        OutputFormat::Github => github::render(&mut out, files, ctx),
        OutputFormat::Gitlab => gitlab::render(&mut out, files, ctx),
        OutputFormat::Junit => junit::render(&mut out, files, ctx),
    }
    out
}
