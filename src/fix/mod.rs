//! `--fix`: apply fixes as text edits on the original bytes (never re-serialised YAML, so
//! comments, quoting and layout survive), in memory, pass after pass; then the result is
//! written once (see [`crate::safe_write`]), shown as a diff (`--diff`) or printed (stdin).

use std::path::Path;

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::engine::{self, FileReport, LintOptions};

mod verify;

/// Passes over one file: a fix can reveal another (an alias fixed, then its property checked).
const MAX_PASSES: usize = 5;

/// One file after its fixes, not written yet.
pub struct Fixed {
    /// The findings left in the fixed text (the original's when nothing was fixed).
    pub report: FileReport,
    /// The code and name of each finding fixed, in the order they were fixed.
    pub applied: Vec<(&'static str, &'static str)>,
    /// Each fix applied, in the same order, with what it may change.
    pub details: Vec<AppliedFix>,
    /// Fixes refused by the verification (their text was not kept), once each.
    pub dropped: Vec<DroppedFix>,
    /// The report of the original text, when a fix changed it (shown if the write fails).
    pub before: Option<FileReport>,
}

/// A fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedFix {
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
    pub applicability: Applicability,
    /// The data paths it was allowed to change (declared, or the default).
    pub targets: Vec<String>,
}

/// A fix whose result did not parse or changed data outside its targets: never written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedFix {
    pub code: &'static str,
    pub message: String,
    pub reason: String,
}

impl Fixed {
    /// The text as it was read.
    pub fn original(&self) -> &str {
        &self.before.as_ref().unwrap_or(&self.report).source.text
    }

    pub fn changed(&self) -> bool {
        self.report.source.text != self.original()
    }

    /// One line per dropped fix, for stderr: `note: f.yml: the fix of K802 (…) was dropped: …`.
    pub fn dropped_notes(&self) -> Vec<String> {
        let shown = self.report.source.display_path();
        self.dropped
            .iter()
            .map(|d| {
                format!(
                    "kestra-lint: note: {shown}: the fix of {} ({}) was not applied: {}",
                    d.code, d.message, d.reason
                )
            })
            .collect()
    }

    /// Write the fixed text over the file it was read from, with the checks of every write
    /// ([`crate::safe_write`]): a link is written through, mode and owner are kept, and a file
    /// that no longer holds the text that was read is left alone.
    pub fn write(&self) -> Result<(), crate::safe_write::WriteError> {
        write(
            &self.report.source.path,
            &self.report.source.text,
            self.original(),
        )
    }

    /// Print [`Fixed::dropped_notes`] on stderr.
    pub fn report_dropped(&self) {
        for note in self.dropped_notes() {
            eprintln!("{note}");
        }
    }
}

/// Write `fixed` over the file at `path`, which must still hold `original`: [`Fixed::write`]
/// for a caller that kept only the texts.
pub fn write(
    path: &Path,
    fixed: &str,
    original: &str,
) -> Result<(), crate::safe_write::WriteError> {
    crate::safe_write::write(path, fixed.as_bytes(), Some(original.as_bytes()))
}

/// Whether a finding's fix is applied by this run (safe ones, unsafe ones too when asked).
pub fn is_applicable(d: &Diagnostic, include_unsafe: bool) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| include_unsafe || f.applicability == Applicability::Safe)
}

/// Apply every applicable fix to the report's text, in memory, and lint the result again.
/// Each result is verified (it parses; data outside the fixes' targets is unchanged); a fix
/// that fails is dropped and listed in [`Fixed::dropped`].
pub fn fix_in_memory(report: FileReport, options: &LintOptions, include_unsafe: bool) -> Fixed {
    fix_selected(report, options, &|d| is_applicable(d, include_unsafe))
}

/// [`fix_in_memory`] with the fixes `select` chooses (`migrate` takes those of 2.0 findings).
pub fn fix_selected(
    report: FileReport,
    options: &LintOptions,
    select: &dyn Fn(&Diagnostic) -> bool,
) -> Fixed {
    let mut report = report;
    let mut applied = Vec::new();
    let mut details = Vec::new();
    let mut dropped: Vec<DroppedFix> = Vec::new();
    let mut before = None;
    for _ in 0..MAX_PASSES {
        let doc = crate::yaml::parse(&report.source.text);
        let text = &report.source.text;
        let fixable: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some() && select(d))
            .collect();
        if fixable.is_empty() {
            break;
        }
        let groups: Vec<Vec<Edit>> = fixable
            .iter()
            .map(|d| d.fix.as_ref().map_or(Vec::new(), |f| f.edits.clone()))
            .collect();
        let targets: Vec<Vec<String>> = fixable
            .iter()
            .zip(&groups)
            .map(
                |(d, edits)| match d.fix.as_ref().and_then(|f| f.targets.clone()) {
                    Some(t) => t,
                    None => vec![verify::enclosing(doc.root.as_ref(), text, edits)],
                },
            )
            .collect();
        let original = verify::Original::new(text);
        let (out, chosen, refused) = apply_verified(text, &groups, &targets, &original);
        for (i, reason) in refused {
            let d = fixable[i];
            let message = d.fix.as_ref().map_or(String::new(), |f| f.message.clone());
            if !dropped
                .iter()
                .any(|x| x.code == d.code && x.message == message)
            {
                dropped.push(DroppedFix {
                    code: d.code,
                    message,
                    reason,
                });
            }
        }
        if chosen.is_empty() {
            break;
        }
        for &i in &chosen {
            let d = fixable[i];
            let fix = d.fix.as_ref().expect("fixable");
            applied.push((d.code, d.name));
            details.push(AppliedFix {
                code: d.code,
                name: d.name,
                message: fix.message.clone(),
                applicability: fix.applicability,
                targets: targets[i].clone(),
            });
        }
        let path = report.source.path.clone();
        let old = std::mem::replace(
            &mut report,
            engine::lint_bytes(&path, out.into_bytes(), options),
        );
        before.get_or_insert(old);
    }
    Fixed {
        report,
        applied,
        details,
        dropped,
        before,
    }
}

/// Apply the groups together when the result passes [`verify`]; else each on top of those
/// kept, dropping the ones that fail. Returns the text, the groups applied, and the groups
/// refused with why (a group that overlaps one applied just waits for the next pass).
fn apply_verified(
    text: &str,
    groups: &[Vec<Edit>],
    targets: &[Vec<String>],
    original: &verify::Original,
) -> (String, Vec<usize>, Vec<(usize, String)>) {
    let union = |which: &[usize]| -> Vec<String> {
        which
            .iter()
            .flat_map(|&i| targets[i].iter().cloned())
            .collect()
    };
    let all: Vec<usize> = (0..groups.len()).collect();
    let (out, applied) = apply_indexed(text, groups, &all);
    if applied.is_empty() || original.refuse(&out, &union(&applied)).is_none() {
        return (out, applied, Vec::new());
    }
    let mut kept: Vec<usize> = Vec::new();
    let mut refused = Vec::new();
    for (i, own) in targets.iter().enumerate() {
        kept.push(i);
        let (out, chosen) = apply_indexed(text, groups, &kept);
        if chosen.len() < kept.len() {
            kept.pop();
            continue;
        }
        if original.refuse(&out, &union(&kept)).is_some() {
            kept.pop();
            // Alone on the original it may pass: then it only clashes with another fix,
            // and the next pass tries it again.
            let (alone, _) = apply_indexed(text, groups, &[i]);
            if let Some(reason) = original.refuse(&alone, own) {
                refused.push((i, reason));
            }
        }
    }
    let (out, chosen) = apply_indexed(text, groups, &kept);
    (out, chosen, refused)
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

    /// A finding whose fix would break the file: the fix is dropped, the text is kept, and the
    /// note says which fix and why.
    #[test]
    fn a_dropped_fix_is_reported_with_its_reason() {
        let text = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: [{{ inputs.a }}, b]\n";
        let options = LintOptions::default();
        let mut report =
            crate::engine::lint_bytes(std::path::Path::new("f.yml"), text.into(), &options);
        let p001 = report
            .diagnostics
            .iter_mut()
            .find(|d| d.code == "P001")
            .unwrap();
        // The quoting of old, which ran to the end of the line and left `[` unclosed.
        let fix = p001.fix.as_mut().unwrap();
        fix.edits[0].span.end = text.len() - 1;
        fix.edits[0].content = "\"{{ inputs.a }}, b]\"".into();
        let fixed = fix_in_memory(report, &options, false);
        assert_eq!(fixed.report.source.text, text);
        assert_eq!(
            fixed.dropped_notes(),
            ["kestra-lint: note: f.yml: the fix of P001 (wrap the value in double quotes) was not applied: the result does not parse (unclosed bracket '[' at line 6)"]
        );
    }

    #[test]
    fn a_fix_changing_data_outside_its_target_is_refused() {
        let text = "a: 1\nb: 2\n";
        let original = verify::Original::new(text);
        let groups = [
            vec![edit(3, 4, "5")],
            vec![edit(8, 9, "[")],
            vec![edit(8, 9, "7")],
        ];
        let targets = [
            vec!["/a".to_string()],
            vec!["/b".to_string()],
            vec!["/a".to_string()],
        ];
        let (out, chosen, refused) = apply_verified(text, &groups, &targets, &original);
        assert_eq!(out, "a: 5\nb: 2\n");
        assert_eq!(chosen, vec![0]);
        let reasons: Vec<_> = refused
            .iter()
            .map(|(i, r)| (*i, r.split(' ').nth(2).unwrap()))
            .collect();
        assert_eq!(reasons, vec![(1, "does"), (2, "changes")]);
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
