//! Bounded output whatever the input: at most `max-findings-per-rule` findings of one rule and
//! `max-findings-per-file` findings in one file are kept; the rest are counted and said in one
//! closing L003 finding, so memory and every report stay bounded (100,000 anchors make 100,000
//! Y003 findings otherwise).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::rules::l003_too_many_findings as l003;

pub const DEFAULT_MAX_PER_RULE: usize = 200;
pub const DEFAULT_MAX_PER_FILE: usize = 1000;

/// The caps; 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_rule: usize,
    pub per_file: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_rule: DEFAULT_MAX_PER_RULE,
            per_file: DEFAULT_MAX_PER_FILE,
        }
    }
}

/// What a file's cap left out, kept so findings added later (cross-file rules) are counted
/// in the same closing note.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    by_code: BTreeMap<&'static str, usize>,
    severity: Option<Severity>,
    /// The first finding left out, where the closing note points.
    first: Option<Span>,
}

impl Hidden {
    pub fn total(&self) -> usize {
        self.by_code.values().sum()
    }

    fn add(&mut self, d: &Diagnostic) {
        *self.by_code.entry(d.code).or_default() += 1;
        self.severity = self.severity.max(Some(d.severity));
        if self
            .first
            .as_ref()
            .is_none_or(|f| d.primary.span.start < f.start)
        {
            self.first = Some(d.primary.span.clone());
        }
    }
}

/// Keep the first findings (in the order given, which is document order) within the limits and
/// end the list with one L003 note for the rest. A note from an earlier call is replaced.
pub fn cap(diagnostics: &mut Vec<Diagnostic>, hidden: &mut Hidden, limits: Limits) {
    diagnostics.retain(|d| d.code != l003::META.code);
    let mut per_code: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut kept = 0usize;
    diagnostics.retain(|d| {
        let n = per_code.entry(d.code).or_default();
        let over_rule = limits.per_rule > 0 && *n >= limits.per_rule;
        let over_file = limits.per_file > 0 && kept >= limits.per_file;
        if over_rule || over_file {
            hidden.add(d);
            return false;
        }
        *n += 1;
        kept += 1;
        true
    });
    if hidden.total() > 0 {
        diagnostics.push(note(hidden, limits));
    }
}

fn note(hidden: &Hidden, limits: Limits) -> Diagnostic {
    let total = hidden.total();
    let codes: Vec<String> = hidden
        .by_code
        .iter()
        .map(|(code, n)| format!("{n} {code}"))
        .collect();
    let limit = |n: usize| {
        if n == 0 {
            "no limit".to_string()
        } else {
            n.to_string()
        }
    };
    let mut d = l003::META
        .diag(
            format!(
                "{total} more finding{} in this file not shown ({})",
                if total == 1 { "" } else { "s" },
                codes.join(", ")
            ),
            hidden.first.clone().unwrap_or(0..0),
        )
        .with_label("the first finding not shown")
        .with_help(format!(
            "at most {} findings per rule and {} per file are reported; fix these first, or \
             raise `--max-findings-per-rule` / `--max-findings-per-file` (0 for no limit)",
            limit(limits.per_rule),
            limit(limits.per_file)
        ));
    // As severe as the worst finding it stands for, so the exit code does not change.
    d.severity = hidden.severity.unwrap_or(d.severity);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(code: &'static str, at: usize, severity: Severity) -> Diagnostic {
        Diagnostic::new(code, "x", severity, "m", at..at + 1)
    }

    #[test]
    fn keeps_the_first_of_each_rule_and_of_the_file_then_one_note() {
        let mut diags: Vec<Diagnostic> = (0..10)
            .map(|i| diag("Y003", i, Severity::Warning))
            .chain((10..13).map(|i| diag("K107", i, Severity::Error)))
            .collect();
        let mut hidden = Hidden::default();
        let limits = Limits {
            per_rule: 4,
            per_file: 6,
        };
        cap(&mut diags, &mut hidden, limits);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            ["Y003", "Y003", "Y003", "Y003", "K107", "K107", "L003"]
        );
        let note = diags.last().unwrap();
        assert_eq!(
            note.message,
            "7 more findings in this file not shown (1 K107, 6 Y003)"
        );
        assert_eq!(note.severity, Severity::Error);
        assert_eq!(note.primary.span, 4..5);
        // Findings added later are counted in the same, single note.
        diags.push(diag("K703", 20, Severity::Warning));
        diags.push(diag("K703", 21, Severity::Warning));
        cap(&mut diags, &mut hidden, limits);
        assert_eq!(diags.iter().filter(|d| d.code == "L003").count(), 1);
        assert_eq!(
            diags.last().unwrap().message,
            "9 more findings in this file not shown (1 K107, 2 K703, 6 Y003)"
        );
    }

    #[test]
    fn zero_is_no_limit() {
        let mut diags: Vec<Diagnostic> = (0..500)
            .map(|i| diag("Y003", i, Severity::Warning))
            .collect();
        let mut hidden = Hidden::default();
        let none = Limits {
            per_rule: 0,
            per_file: 0,
        };
        cap(&mut diags, &mut hidden, none);
        assert_eq!(diags.len(), 500);
    }
}
