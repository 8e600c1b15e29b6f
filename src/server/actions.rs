//! Code actions: each finding's fix, "fix all safe fixes", and "suppress with a comment".

use std::collections::HashMap;

use lsp_types as lsp;

use super::locate::{locate, Step};
use super::text::LineIndex;
use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::workspace::{Document, Workspace};
use crate::yaml::{Node, NodeKind};

pub fn code_actions(
    workspace: &Workspace,
    doc: &Document,
    params: &lsp::CodeActionParams,
) -> Vec<lsp::CodeActionOrCommand> {
    let text = doc.text();
    let index = LineIndex::new(text);
    let uri = &params.text_document.uri;
    let wanted = |kind: &lsp::CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let start = index.offset(params.range.start);
    let end = index.offset(params.range.end);
    let mut out = Vec::new();
    if wanted(&lsp::CodeActionKind::QUICKFIX) {
        for d in &doc.report.diagnostics {
            let span = &d.primary.span;
            // Touching the range counts: a cursor at the end of a finding still offers its fix.
            if span.start > end || span.end < start {
                continue;
            }
            let lsp_diag = super::convert::diagnostic(
                d,
                &index,
                uri.as_str(),
                &mut super::convert::RuleDocs::new(Some(String::new())),
            );
            if let Some(fix) = &d.fix {
                let unsafe_note = if fix.applicability == Applicability::Unsafe {
                    " (unsafe)"
                } else {
                    ""
                };
                out.push(action(
                    format!("{}: {}{unsafe_note}", d.code, fix.message),
                    lsp::CodeActionKind::QUICKFIX,
                    uri,
                    edits(&index, &fix.edits),
                    vec![lsp_diag.clone()],
                    fix.applicability == Applicability::Safe,
                ));
            }
            if let Some(edit) = suppress_edit(doc, d) {
                out.push(action(
                    format!("Suppress {} with a comment", d.code),
                    lsp::CodeActionKind::QUICKFIX,
                    uri,
                    edits(&index, &[edit]),
                    vec![lsp_diag],
                    false,
                ));
            }
        }
    }
    let fix_all = lsp::CodeActionKind::new("source.fixAll.kestra-lint");
    if wanted(&fix_all) && has_safe_fix(doc) {
        if let Some(edit) = fix_all_edit(workspace, doc) {
            out.push(action(
                "Fix all safe kestra-lint findings".into(),
                fix_all,
                uri,
                edits(&index, &[edit]),
                Vec::new(),
                false,
            ));
        }
    }
    out
}

fn has_safe_fix(doc: &Document) -> bool {
    doc.report
        .diagnostics
        .iter()
        .any(|d| crate::fix::is_applicable(d, false))
}

fn action(
    title: String,
    kind: lsp::CodeActionKind,
    uri: &lsp::Uri,
    edits: Vec<lsp::TextEdit>,
    diagnostics: Vec<lsp::Diagnostic>,
    preferred: bool,
) -> lsp::CodeActionOrCommand {
    // `Uri` caches its parts in cells, which clippy flags for map keys; it is never mutated.
    #[allow(clippy::mutable_key_type)]
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), edits);
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title,
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

fn edits(index: &LineIndex<'_>, edits: &[Edit]) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|e| lsp::TextEdit::new(index.range(&e.span), e.content.clone()))
        .collect()
}

/// Every safe fix, as `--fix` applies them (pass after pass, YAML kept valid), as one edit of
/// the part of the text that changes.
fn fix_all_edit(workspace: &Workspace, doc: &Document) -> Option<Edit> {
    let path = doc.report.source.path.clone();
    let report =
        crate::engine::lint_bytes(&path, doc.text().as_bytes().to_vec(), &workspace.options);
    let fixed = crate::fix::fix_in_memory(report, &workspace.options, false);
    if !fixed.changed() {
        return None;
    }
    Some(minimal_edit(doc.text(), &fixed.report.source.text))
}

/// The one replacement that turns `old` into `new`: the middle between their common prefix and
/// suffix (on char boundaries).
pub fn minimal_edit(old: &str, new: &str) -> Edit {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Edit {
        span: prefix..old.len() - suffix,
        content: new[prefix..new.len() - suffix].to_string(),
    }
}

/// `# kestra-lint: ignore[CODE]` at the end of the finding's line, or (when that line ends
/// inside a scalar, where a `#` would be text) on a line of its own above the entry holding
/// the finding; an existing suppression on that line gets the code added.
fn suppress_edit(doc: &Document, d: &Diagnostic) -> Option<Edit> {
    let text = doc.text();
    let at = d.primary.span.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line_end = if text[..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    let root = doc.yaml.as_ref().and_then(|y| y.root.as_ref());
    let inside_scalar = root.is_some_and(|r| scalar_spans_offset(r, line_end));
    let target_line = if inside_scalar {
        let root = root?;
        let found = locate(root, at);
        let key_start = found.steps.iter().rev().find_map(|s| match s {
            Step::Key(e) if e.key.span.start <= at => Some(e.key.span.start),
            _ => None,
        })?;
        let start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        (start, end.min(text.len()), true)
    } else {
        (line_start, line_end, false)
    };
    let (start, end, own_line) = target_line;
    let line = &text[start..end];
    if let Some(open) = line.find("# kestra-lint: ignore[") {
        let close = line[open..].find(']')? + open;
        if !own_line || line.trim_start().starts_with('#') {
            return Some(Edit {
                span: start + close..start + close,
                content: format!(", {}", d.code),
            });
        }
    }
    if own_line {
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        return Some(Edit {
            span: start..start,
            content: format!("{indent}# kestra-lint: ignore[{}]\n", d.code),
        });
    }
    Some(Edit {
        span: end..end,
        content: format!("  # kestra-lint: ignore[{}]", d.code),
    })
}

/// Does a scalar (a block scalar, a multi-line quoted or plain one) run across `offset`?
fn scalar_spans_offset(root: &Node, offset: usize) -> bool {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if !(node.span.start <= offset && offset <= node.span.end) {
            continue;
        }
        match &node.kind {
            NodeKind::Map(entries) => {
                stack.extend(entries.iter().flat_map(|e| [&e.key, &e.value]));
            }
            NodeKind::Seq(items) => stack.extend(items.iter()),
            NodeKind::Scalar(_) => {
                if node.span.start < offset && offset < node.span.end {
                    return true;
                }
            }
            NodeKind::Alias(_) => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::minimal_edit;

    #[test]
    fn minimal_edit_replaces_the_middle() {
        let e = minimal_edit("a: 1\nb: 2\n", "a: 1\nb: 3\n");
        assert_eq!((e.span, e.content.as_str()), (8..9, "3"));
        let e = minimal_edit("aé", "aè");
        assert_eq!((e.span, e.content.as_str()), (1..3, "è"));
        let e = minimal_edit("aaa", "aa");
        assert_eq!((e.span, e.content.as_str()), (2..3, ""));
    }
}
