//! The default human format: a rustc-style header, then miette's source snippet with every
//! label, then help.

use std::fmt::Write as _;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};

use super::common::printable;
use super::style::Style;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// The file as miette sees it: its text, named by its display path.
struct NamedFile<'a> {
    name: String,
    file: &'a SourceFile,
}

impl SourceCode for NamedFile<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        // miette scans from the start of the text it is given: hand it the text from a few
        // lines before the span (found by binary search), so each snippet costs its own size.
        // Control characters are masked (offsets kept), so snippets never drive the terminal.
        let text = self.file.masked_text();
        let at = span.offset().min(text.len());
        let first_line = self
            .file
            .line_index(at)
            .saturating_sub(context_lines_before);
        let base = self.file.line_start(first_line + 1).unwrap_or(0);
        let local = SourceSpan::new((at - base).into(), span.len());
        let inner = text[base..].read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )))
    }
}

/// Our diagnostic as a miette diagnostic, with an empty message: the header is ours.
struct Adapter<'a> {
    diag: &'a Diagnostic,
    source: NamedFile<'a>,
}

impl std::fmt::Debug for Adapter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::fmt::Display for Adapter<'_> {
    fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Adapter<'_> {}

impl miette::Diagnostic for Adapter<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(printable(h)) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let text_len = self.source.file.text.len();
        let clamp = move |span: &std::ops::Range<usize>| {
            let start = span.start.min(text_len);
            let end = span.end.clamp(start, text_len);
            SourceSpan::from(start..end)
        };
        let label = |msg: &str| (!msg.is_empty()).then(|| printable(msg).into_owned());
        let primary = LabeledSpan::new_primary_with_span(
            label(&self.diag.primary.message),
            clamp(&self.diag.primary.span),
        );
        let secondary = self
            .diag
            .secondary
            .iter()
            .map(move |l| LabeledSpan::new_with_span(label(&l.message), clamp(&l.span)));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// `fixable`: `--fix` would fix it, shown as ruff does with `[*]` before the message.
pub fn render(
    out: &mut String,
    file: &SourceFile,
    diag: &Diagnostic,
    style: &Style,
    fixable: bool,
) {
    let marker = if fixable { "[*] " } else { "" };
    let header = format!("{}[{}]", diag.severity, diag.code);
    let _ = writeln!(
        out,
        "{}: {marker}{}",
        style.severity(diag.severity, &header),
        style.bold(&printable(&diag.message))
    );
    let name = printable(&file.display_path()).into_owned();
    // miette heads its first snippet with the first label's place: when a secondary label
    // comes before the primary one, say where the finding is.
    if diag
        .secondary
        .iter()
        .any(|l| l.span.start < diag.primary.span.start)
    {
        let lc = file.line_col(diag.primary.span.start);
        let _ = writeln!(out, "  --> {name}:{}:{}", lc.line, lc.column);
    }
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(style.width)
        .with_context_lines(1);
    let adapter = Adapter {
        diag,
        source: NamedFile {
            name: name.clone(),
            file,
        },
    };
    let mut body = String::new();
    if handler.render_report(&mut body, &adapter).is_err() {
        let lc = file.line_col(diag.primary.span.start);
        let _ = writeln!(out, "  --> {name}:{}:{}", lc.line, lc.column);
        return;
    }
    // miette starts with the (empty) message line; our header replaced it.
    let body = body.split_once('\n').map_or("", |(_, rest)| rest);
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
}
