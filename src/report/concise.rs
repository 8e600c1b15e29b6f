//! One line per finding, rustc's short format: `path:line:col: severity[CODE]: message`.
//! Editors' problem matchers parse this.

use std::fmt::Write as _;

use super::common::printable;
use super::style::Style;
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// `fixable`: `--fix` would fix it, shown as ruff does with `[*]` before the message.
pub fn render(
    out: &mut String,
    file: &SourceFile,
    diag: &Diagnostic,
    style: &Style,
    fixable: bool,
) {
    let marker = if fixable { "[*] " } else { "" };
    let lc = file.line_col(diag.primary.span.start);
    let header = format!("{}[{}]", diag.severity, diag.code);
    let _ = writeln!(
        out,
        "{}:{}:{}: {}: {marker}{}",
        style.bold(&printable(&file.display_path())),
        lc.line,
        lc.column,
        style.severity(diag.severity, &header),
        printable(&diag.message)
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Applicability, Edit, Fix};
    use crate::engine::FileReport;
    use crate::report::{render_with, OutputFormat, RenderContext, Style};
    use crate::source::SourceFile;

    #[test]
    fn the_fix_marker_follows_what_fix_would_apply() {
        let source = SourceFile::new("f.yml", "id: x\n".to_string());
        let mut diag = crate::diagnostic::Diagnostic::new(
            "K106",
            "invalid-namespace",
            crate::diagnostic::Severity::Error,
            "m",
            4..5,
        );
        diag.fix = Some(Fix {
            message: "f".to_string(),
            applicability: Applicability::Unsafe,
            edits: vec![Edit {
                span: 4..5,
                content: "y".to_string(),
            }],
            targets: None,
        });
        let report = FileReport {
            source,
            diagnostics: vec![diag],
            is_flow: true,
            summary: None,
            hidden: Default::default(),
        };
        let render = |unsafe_fixes| {
            let ctx = RenderContext {
                unsafe_fixes,
                ..RenderContext::new(Style::plain(), crate::diagnostic::Severity::Error)
            };
            render_with(OutputFormat::Concise, std::slice::from_ref(&report), &ctx)
        };
        assert!(!render(false).contains("[*]"));
        assert!(render(true).contains("]: [*] m"));
    }
}
