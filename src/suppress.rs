//! Inline suppression comments and the final pass over one file's findings.
//!
//! `# kestra-lint: ignore[K102, P003] reason` at the end of a line suppresses those codes on that
//! line; on a line of its own it covers the next YAML node (a map entry or list item, so the
//! whole task when placed above `- id:`). `# kestra-lint: ignore-file[CODES]` covers the whole
//! file. Comments come from the YAML parser, so a `#` inside a quoted or block scalar is text.
//! A suppression that suppresses nothing is reported (L001), and so is an unknown code (L002).

use crate::config::selection::{self, normalize};
use crate::config::RuleFilter;
use crate::diagnostic::{Diagnostic, Fix, Severity, Span};
use crate::rules::{self, l001_unused_suppression as l001, l002_unknown_suppression_code as l002};
use crate::source::SourceFile;
use crate::yaml::{CommentPlacement, Document, Node, NodeKind};

const MARKER: &str = "kestra-lint:";

/// Where a suppression applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Findings starting on this 1-based line.
    Line(usize),
    /// Findings starting inside this node (a map entry or list item).
    Node(Span),
    File,
}

/// One code in a suppression.
#[derive(Debug, Clone)]
pub struct Code {
    /// Normalised selector (`K102`, `K1`).
    pub selector: String,
    pub span: Span,
    pub known: bool,
    pub used: bool,
}

/// One `# kestra-lint: ignore[…]` comment.
#[derive(Debug, Clone)]
pub struct Suppression {
    pub scope: Scope,
    pub codes: Vec<Code>,
    /// From `#` to the end of the comment.
    pub comment: Span,
    /// Between the brackets.
    pub list: Span,
    pub own_line: bool,
}

/// A comment that starts with `kestra-lint:` but cannot be read.
#[derive(Debug, Clone)]
pub struct Malformed {
    pub span: Span,
}

/// Read every suppression comment of a document.
pub fn collect(source: &SourceFile, doc: &Document) -> (Vec<Suppression>, Vec<Malformed>) {
    let text = source.text.as_str();
    let mut found = Vec::new();
    let mut malformed = Vec::new();
    let mut nodes: Option<Vec<Span>> = None;
    for comment in &doc.comments {
        let Some(body_start) = text
            .get(comment.span.clone())
            .and_then(|s| s.find(comment.text.as_str()))
            .map(|i| comment.span.start + i)
        else {
            continue;
        };
        let body = comment.text.as_str();
        let lead = body.len() - body.trim_start().len();
        let Some(rest) = body.trim_start().strip_prefix(MARKER) else {
            continue;
        };
        let hash = text[..body_start].rfind('#').unwrap_or(body_start);
        let comment_span = hash..body_start + body.len();
        let after_marker = body_start + lead + MARKER.len();
        let rest_trimmed = rest.trim_start();
        let directive_at = after_marker + (rest.len() - rest_trimmed.len());
        let (file_wide, after_word) = if let Some(r) = rest_trimmed.strip_prefix("ignore-file[") {
            (true, r)
        } else if let Some(r) = rest_trimmed.strip_prefix("ignore[") {
            (false, r)
        } else {
            malformed.push(Malformed { span: comment_span });
            continue;
        };
        let Some(close) = after_word.find(']') else {
            malformed.push(Malformed { span: comment_span });
            continue;
        };
        let list_start = directive_at + (rest_trimmed.len() - after_word.len());
        let list = list_start..list_start + close;
        let mut codes = Vec::new();
        let mut offset = list.start;
        for piece in text[list.clone()].split([',', ' ', '\t']) {
            if !piece.is_empty() {
                let sel = normalize(piece);
                codes.push(Code {
                    known: selection::is_known_selector(&sel) && sel != "ALL",
                    selector: sel,
                    span: offset..offset + piece.len(),
                    used: false,
                });
            }
            offset += piece.len() + 1;
        }
        if codes.is_empty() {
            malformed.push(Malformed { span: comment_span });
            continue;
        }
        let own_line = comment.placement == CommentPlacement::OwnLine;
        let line = source.line_col(hash).line;
        let scope = if file_wide {
            Scope::File
        } else if !own_line {
            Scope::Line(line)
        } else {
            let spans = nodes.get_or_insert_with(|| node_spans(doc.root.as_ref()));
            next_node(source, spans, line)
        };
        found.push(Suppression {
            scope,
            codes,
            comment: comment_span,
            list,
            own_line,
        });
    }
    (found, malformed)
}

/// Spans of every map entry (key to end of value) and list item, outermost first.
fn node_spans(root: Option<&Node>) -> Vec<Span> {
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = root.into_iter().collect();
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Map(entries) => {
                for e in entries {
                    out.push(e.key.span.start..e.value.span.end.max(e.key.span.end));
                    stack.push(&e.value);
                }
            }
            NodeKind::Seq(items) => {
                for item in items {
                    out.push(item.span.clone());
                    stack.push(item);
                }
            }
            _ => {}
        }
    }
    out
}

/// The node starting on the first line after `line` that is neither blank nor a comment: the
/// largest entry or item whose first character is the line's first content (after `- `).
fn next_node(source: &SourceFile, spans: &[Span], line: usize) -> Scope {
    let mut target = line + 1;
    while target <= source.line_count() {
        let t = source.line_text(target).trim();
        if !t.is_empty() && !t.starts_with('#') {
            break;
        }
        target += 1;
    }
    let Some(start) = source.line_start(target) else {
        return Scope::Line(target);
    };
    let end = start + source.line_text(target).len();
    let text = source.text.as_str();
    spans
        .iter()
        .filter(|s| {
            s.start >= start
                && s.start <= end
                && text[start..s.start]
                    .chars()
                    .all(|c| c.is_whitespace() || c == '-')
        })
        .max_by_key(|s| s.end - s.start)
        .map_or(Scope::Line(target), |s| Scope::Node(s.clone()))
}

fn covers(scope: &Scope, source: &SourceFile, at: usize) -> bool {
    match scope {
        Scope::File => true,
        Scope::Line(line) => source.line_col(at).line == *line,
        Scope::Node(span) => span.start <= at && at < span.end.max(span.start + 1),
    }
}

/// The last step for one file: drop findings of rules that are off, apply suppressions, report
/// unused and unknown suppressions, then set each finding's configured severity.
pub fn finish(
    source: &SourceFile,
    doc: Option<&Document>,
    filter: &RuleFilter<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    retain_enabled(filter, diagnostics);
    if let Some(doc) = doc.filter(|d| !d.comments.is_empty()) {
        let (mut sups, malformed) = collect(source, doc);
        diagnostics.retain(|d| !suppressed(source, &mut sups, d, false));
        let mut own = Vec::new();
        for m in &malformed {
            own.push(l002::malformed(m.span.clone()));
        }
        for s in &sups {
            for c in s.codes.iter().filter(|c| !c.known) {
                own.push(l002::unknown(&c.selector, c.span.clone()));
            }
            if let Some(d) = unused(source, doc, s, filter) {
                own.push(d);
            }
        }
        own.retain(|d| rules::meta_of(d.code).is_some_and(|m| filter.is_enabled(m)));
        own.retain(|d| !suppressed(source, &mut sups, d, true));
        diagnostics.extend(own);
    }
    set_severities(filter, diagnostics);
}

/// Drop the findings of rules that are off. Decided once per code: a file can hold 100,000
/// findings of one rule.
fn retain_enabled(filter: &RuleFilter<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let mut enabled: std::collections::HashMap<&'static str, bool> = Default::default();
    diagnostics.retain(|d| {
        *enabled
            .entry(d.code)
            .or_insert_with(|| rules::meta_of(d.code).is_none_or(|m| filter.is_enabled(m)))
    });
}

/// Apply configured severities, once per code and default severity.
fn set_severities(filter: &RuleFilter<'_>, diagnostics: &mut [Diagnostic]) {
    let mut cache: std::collections::HashMap<(&'static str, Severity), Severity> =
        Default::default();
    for d in diagnostics.iter_mut() {
        let (code, severity) = (d.code, d.severity);
        d.severity = *cache.entry((code, severity)).or_insert_with(|| {
            rules::meta_of(code).map_or(severity, |meta| filter.finding_severity(meta, severity))
        });
    }
}

/// The same last step for findings of the cross-file rules (K7xx), added after the file's own
/// pass: drop those of rules that are off or suppressed, then set severities. Suppressions of
/// these codes are never reported as unused (the file's own pass cannot know).
pub fn finish_cross_file(
    source: &SourceFile,
    filter: &RuleFilter<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    retain_enabled(filter, diagnostics);
    let doc = crate::yaml::parse(&source.text);
    if !doc.comments.is_empty() {
        let (mut sups, _) = collect(source, &doc);
        diagnostics.retain(|d| !suppressed(source, &mut sups, d, false));
    }
    set_severities(filter, diagnostics);
}

/// Codes checked across files, after a file's own pass (`K7`, `K70`, `K701`, …).
fn is_cross_file_selector(selector: &str) -> bool {
    selector.starts_with("K7")
}

/// Does a suppression cover `d`? Marks every matching code as used. L findings are only
/// suppressed file-wide (`only_file`), so a suppression cannot hide its own report.
fn suppressed(
    source: &SourceFile,
    sups: &mut [Suppression],
    d: &Diagnostic,
    only_file: bool,
) -> bool {
    let mut hit = false;
    for s in sups.iter_mut() {
        if (only_file && s.scope != Scope::File) || !covers(&s.scope, source, d.primary.span.start)
        {
            continue;
        }
        for c in s.codes.iter_mut().filter(|c| c.known) {
            if selection::matches(&c.selector, d.code) {
                c.used = true;
                hit = true;
            }
        }
    }
    hit
}

/// L001 for the known codes of `s` that suppressed nothing, with a fix that removes them.
fn unused(
    source: &SourceFile,
    doc: &Document,
    s: &Suppression,
    filter: &RuleFilter<'_>,
) -> Option<Diagnostic> {
    // L codes are not checked here: they never suppress line or node findings.
    let idle: Vec<&Code> = s
        .codes
        .iter()
        .filter(|c| {
            c.known
                && !c.used
                && !c.selector.starts_with('L')
                && !is_cross_file_selector(&c.selector)
        })
        .collect();
    if idle.is_empty() {
        return None;
    }
    let disabled: Vec<&str> = idle
        .iter()
        .filter(|c| {
            !rules::all().iter().any(|r| {
                selection::matches(&c.selector, r.meta().code) && filter.is_enabled(r.meta())
            })
        })
        .map(|c| c.selector.as_str())
        .collect();
    let keep: Vec<&str> = s
        .codes
        .iter()
        .filter(|c| !idle.iter().any(|i| std::ptr::eq(*i, *c)))
        .map(|c| c.selector.as_str())
        .collect();
    let editor = crate::yaml::edit::Editor::new(&source.text, doc);
    let fix = if keep.is_empty() {
        editor
            .remove_comment(s.comment.clone())
            .map(|e| Fix::safe("remove the unused suppression comment", vec![e]))
    } else {
        editor
            .replace_in_comment(s.comment.start, s.list.clone(), &keep.join(", "))
            .map(|e| Fix::safe("remove the unused codes", vec![e]))
    };
    // A comment holds no data.
    let fix = fix.map(|f| f.with_targets(Vec::<String>::new()));
    let names: Vec<String> = idle.iter().map(|c| format!("`{}`", c.selector)).collect();
    Some(l001::diagnostic(
        &names.join(", "),
        &disabled,
        s.comment.clone(),
        fix,
    ))
}

#[cfg(test)]
mod tests;
