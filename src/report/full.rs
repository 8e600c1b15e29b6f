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
    /// The text with control characters (ESC…) masked byte for byte, so snippets never drive
    /// the terminal and offsets stay the same.
    text: std::borrow::Cow<'a, str>,
}

/// `text` with each control character other than line breaks and tabs replaced by `?` (one
/// per byte of its UTF-8 form, so byte offsets are kept).
fn masked(text: &str) -> std::borrow::Cow<'_, str> {
    let shown = |c: char| !c.is_control() || matches!(c, '\n' | '\r' | '\t');
    if text.chars().all(shown) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if shown(c) {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        }
    }
    std::borrow::Cow::Owned(out)
}

impl SourceCode for NamedFile<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, miette::MietteError> {
        let inner =
            self.text
                .as_ref()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
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

pub fn render(out: &mut String, file: &SourceFile, diag: &Diagnostic, style: &Style) {
    let header = format!("{}[{}]", diag.severity, diag.code);
    let _ = writeln!(
        out,
        "{}: {}",
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
            text: masked(&file.text),
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
