//! One line per finding, rustc's short format: `path:line:col: severity[CODE]: message`.
//! Editors' problem matchers parse this.

use std::fmt::Write as _;

use super::common::printable;
use super::style::Style;
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

pub fn render(out: &mut String, file: &SourceFile, diag: &Diagnostic, style: &Style) {
    let lc = file.line_col(diag.primary.span.start);
    let header = format!("{}[{}]", diag.severity, diag.code);
    let _ = writeln!(
        out,
        "{}:{}:{}: {}: {}",
        style.bold(&printable(&file.display_path())),
        lc.line,
        lc.column,
        style.severity(diag.severity, &header),
        printable(&diag.message)
    );
}
