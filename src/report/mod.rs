//! Output formats. Each renders the same sorted list of per-file results.

mod concise;
mod full;
pub mod style;

use crate::engine::FileReport;
pub use style::{ColorChoice, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with every label and help (default).
    Full,
    /// One line per finding: `path:line:col: severity[CODE]: message`.
    Concise,
}

/// Render every finding of every file, in order.
pub fn render(format: OutputFormat, files: &[FileReport], style: &Style) -> String {
    let mut out = String::new();
    for file in files {
        for diag in &file.diagnostics {
            match format {
                OutputFormat::Full => {
                    full::render(&mut out, &file.source, diag, style);
                    out.push('\n');
                }
                OutputFormat::Concise => concise::render(&mut out, &file.source, diag, style),
            }
        }
    }
    out
}
