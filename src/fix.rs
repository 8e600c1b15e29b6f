//! `--fix`: apply fixes as text edits on the original bytes (never re-serialised YAML, so
//! comments, quoting and layout survive), in memory, pass after pass; then the result is
//! written once (see [`crate::safe_write`]), shown as a diff (`--diff`) or printed (stdin).

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::engine::{self, FileReport, LintOptions};

/// Passes over one file: a fix can reveal another (an alias fixed, then its property checked).
const MAX_PASSES: usize = 5;

/// One file after its fixes, not written yet.
pub struct Fixed {
    /// The findings left in the fixed text (the original's when nothing was fixed).
    pub report: FileReport,
    /// The code and name of each finding fixed, in the order they were fixed.
    pub applied: Vec<(&'static str, &'static str)>,
    /// The report of the original text, when a fix changed it (shown if the write fails).
    pub before: Option<FileReport>,
}

impl Fixed {
    /// The text as it was read.
    pub fn original(&self) -> &str {
        &self.before.as_ref().unwrap_or(&self.report).source.text
    }

    pub fn changed(&self) -> bool {
        self.report.source.text != self.original()
    }
}

/// Whether a finding's fix is applied by this run (safe ones, unsafe ones too when asked).
pub fn is_applicable(d: &Diagnostic, include_unsafe: bool) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| include_unsafe || f.applicability == Applicability::Safe)
}

/// Apply every applicable fix to the report's text, in memory, and lint the result again.
pub fn fix_in_memory(report: FileReport, options: &LintOptions, include_unsafe: bool) -> Fixed {
    let mut report = report;
    let mut applied = Vec::new();
    let mut before = None;
    for _ in 0..MAX_PASSES {
        let fixable: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| is_applicable(d, include_unsafe))
            .collect();
        let edits = applicable_edits(&report.diagnostics, include_unsafe);
        if edits.is_empty() {
            break;
        }
        let (text, chosen) = apply_keeping_yaml_indexed(&report.source.text, &edits);
        if chosen.is_empty() {
            break;
        }
        applied.extend(chosen.iter().map(|&i| (fixable[i].code, fixable[i].name)));
        let path = report.source.path.clone();
        let old = std::mem::replace(
            &mut report,
            engine::lint_bytes(&path, text.into_bytes(), options),
        );
        before.get_or_insert(old);
    }
    Fixed {
        report,
        applied,
        before,
    }
}

/// The edits of each fixable finding, one group per finding.
fn applicable_edits(diagnostics: &[Diagnostic], include_unsafe: bool) -> Vec<Vec<Edit>> {
    diagnostics
        .iter()
        .filter(|d| is_applicable(d, include_unsafe))
        .filter_map(|d| d.fix.as_ref())
        .map(|f| f.edits.clone())
        .collect()
}

/// [`apply`], then parse the result: a fix must never break YAML that parsed (nor move the
/// first error of YAML that did not back). When the fixes together do, each is tried alone
/// on top of those kept, and the ones that break the file are dropped.
pub fn apply_keeping_yaml(text: &str, groups: &[Vec<Edit>]) -> (String, usize) {
    let (out, chosen) = apply_keeping_yaml_indexed(text, groups);
    (out, chosen.len())
}

/// [`apply_keeping_yaml`], returning the indices of the groups applied.
fn apply_keeping_yaml_indexed(text: &str, groups: &[Vec<Edit>]) -> (String, Vec<usize>) {
    let before = error_line(text);
    let keeps = |after: &str| match (before, error_line(after)) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(old), Some(new)) => new > old,
    };
    let all: Vec<usize> = (0..groups.len()).collect();
    let (out, applied) = apply_indexed(text, groups, &all);
    if applied.is_empty() || keeps(&out) {
        return (out, applied);
    }
    let mut kept: Vec<usize> = Vec::new();
    for i in 0..groups.len() {
        kept.push(i);
        let (out, chosen) = apply_indexed(text, groups, &kept);
        if chosen.len() < kept.len() || !keeps(&out) {
            kept.pop();
        }
    }
    apply_indexed(text, groups, &kept)
}

/// The 0-based line of the first YAML syntax error, if any.
fn error_line(text: &str) -> Option<usize> {
    let err = crate::yaml::parse(text).syntax_error?;
    Some(text[..err.offset.min(text.len())].matches('\n').count())
}

/// Apply groups of edits that do not overlap any edit applied before; returns the new text
/// and how many groups were applied. Overlapping fixes wait for the next pass.
pub fn apply(text: &str, groups: &[Vec<Edit>]) -> (String, usize) {
    let all: Vec<usize> = (0..groups.len()).collect();
    let (out, applied) = apply_indexed(text, groups, &all);
    (out, applied.len())
}

/// [`apply`] over the groups at `which`; returns the indices (into `groups`) applied.
fn apply_indexed(text: &str, groups: &[Vec<Edit>], which: &[usize]) -> (String, Vec<usize>) {
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for &i in which {
        let group = &groups[i];
        let valid = group.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        let overlaps = group.iter().any(|e| {
            taken
                .iter()
                .any(|t| e.span.start < t.end && t.start < e.span.end || e.span == *t)
        });
        if !valid || overlaps || group.is_empty() {
            continue;
        }
        taken.extend(group.iter().map(|e| e.span.clone()));
        chosen.extend(group.iter());
        applied.push(i);
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in chosen {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.content);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, content: &str) -> Edit {
        Edit {
            span: start..end,
            content: content.to_string(),
        }
    }

    #[test]
    fn applies_non_overlapping_edits_in_order() {
        let (out, n) = apply(
            "abc def ghi",
            &[vec![edit(8, 11, "GHI")], vec![edit(0, 3, "ABC")]],
        );
        assert_eq!(out, "ABC def GHI");
        assert_eq!(n, 2);
    }

    #[test]
    fn a_fix_that_breaks_the_yaml_is_dropped() {
        let text = "a: 1\nb: 2\n";
        let (out, n) = apply_keeping_yaml(text, &[vec![edit(3, 4, "[1")], vec![edit(8, 9, "3")]]);
        assert_eq!(out, "a: 1\nb: 3\n");
        assert_eq!(n, 1);
    }

    #[test]
    fn skips_overlapping_and_invalid_edits() {
        let (out, n) = apply(
            "héllo",
            &[
                vec![edit(0, 3, "x")],
                vec![edit(1, 4, "y")],
                vec![edit(2, 3, "z")],
                vec![edit(9, 10, "w")],
            ],
        );
        assert_eq!(out, "xllo");
        assert_eq!(n, 1);
    }
}
