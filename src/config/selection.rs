//! Which rules run, and at which severity: ruff's selection model (`select`, `extend-select`,
//! `ignore`, most specific selector wins, `ignore` wins a tie) plus per-rule severities.

use crate::diagnostic::Severity;
use crate::rules::{self, RuleMeta};

/// Rule families: `Y` YAML, `S` schema, `K` Kestra save-time, `P` Pebble, `D` deprecations,
/// `B` best practice / policy, `L` the linter's own hygiene. A bare family letter is accepted
/// even before any rule of it exists.
pub const FAMILIES: &[char] = &['Y', 'S', 'K', 'P', 'D', 'B', 'L'];

/// Normalise a selector (`k1` → `K1`); a retired code becomes the code that replaced it
/// (`K204` → `P108`).
pub fn normalize(selector: &str) -> String {
    let s = selector.trim().to_ascii_uppercase();
    match rules::successor(&s) {
        Some(new) => new.to_string(),
        None => s,
    }
}

/// Is `selector` (already normalised) a rule code, a prefix of one, a family letter or `ALL`?
pub fn is_known_selector(selector: &str) -> bool {
    if selector == "ALL" {
        return true;
    }
    let mut chars = selector.chars();
    if chars.next().is_some_and(|c| FAMILIES.contains(&c)) && chars.as_str().is_empty() {
        return true;
    }
    !selector.is_empty()
        && rules::all()
            .iter()
            .any(|r| r.meta().code.starts_with(selector))
}

/// Does `selector` cover `code`?
pub fn matches(selector: &str, code: &str) -> bool {
    selector == "ALL" || code.starts_with(selector)
}

/// `ALL` is the least specific selector; otherwise longer is more specific.
fn specificity(selector: &str) -> usize {
    if selector == "ALL" {
        0
    } else {
        selector.len()
    }
}

/// One source of selectors (the config file, then the command line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    /// Replaces everything chosen so far when set.
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The resolved choice of rules and severities (before per-file ignores).
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    pub layers: Vec<Layer>,
    /// Severity overrides: selector → severity, `None` for `off`.
    pub severity: Vec<(String, Option<Severity>)>,
    /// Codes turned on because their policy is configured (B002–B004).
    pub implied: Vec<&'static str>,
}

impl RuleSelection {
    /// Is the rule on, before per-file ignores?
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let mut on = meta.enabled_by_default || self.implied.contains(&meta.code);
        for layer in &self.layers {
            let mut best: Option<(usize, bool)> = None;
            let mut consider = |selector: &str, verdict: bool| {
                if !matches(selector, meta.code) {
                    return;
                }
                let s = specificity(selector);
                best = match best {
                    // Equally specific: `ignore` (false) wins.
                    Some((b, v)) if b > s || (b == s && !v) => Some((b, v)),
                    _ => Some((s, verdict)),
                };
            };
            if let Some(select) = &layer.select {
                on = false;
                for s in select {
                    consider(s, true);
                }
            }
            for s in &layer.extend_select {
                consider(s, true);
            }
            for s in &layer.ignore {
                consider(s, false);
            }
            if let Some((_, verdict)) = best {
                on = verdict;
            }
        }
        on && self.severity_of(meta.code, meta.severity).is_some()
    }

    /// The severity for `code` (most specific override wins), `None` when turned off.
    pub fn severity_of(&self, code: &str, default: Severity) -> Option<Severity> {
        self.severity
            .iter()
            .filter(|(sel, _)| matches(sel, code))
            .max_by_key(|(sel, _)| specificity(sel))
            .map_or(Some(default), |(_, sev)| *sev)
    }

    /// Codes of every enabled rule, in code order.
    pub fn enabled_codes(&self) -> Vec<&'static str> {
        let mut codes: Vec<_> = rules::all()
            .iter()
            .map(|r| r.meta())
            .filter(|m| self.is_enabled(m))
            .map(|m| m.code)
            .collect();
        codes.sort();
        codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> Layer {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Layer {
            select: select.map(own),
            extend_select: own(extend),
            ignore: own(ignore),
        }
    }

    fn enabled(layers: Vec<Layer>) -> Vec<&'static str> {
        RuleSelection {
            layers,
            ..Default::default()
        }
        .enabled_codes()
    }

    #[test]
    fn defaults_leave_opt_in_rules_off() {
        let on = enabled(vec![]);
        assert!(on.contains(&"K102") && on.contains(&"B001"));
        assert!(!on.contains(&"B005"));
    }

    #[test]
    fn most_specific_selector_wins_and_ignore_wins_ties() {
        let on = enabled(vec![layer(Some(&["K"]), &[], &["K1"])]);
        assert!(on.contains(&"K001") && !on.contains(&"K102") && !on.contains(&"Y001"));
        let on = enabled(vec![layer(Some(&["K"]), &["K102"], &["K1"])]);
        assert!(on.contains(&"K102") && !on.contains(&"K101"));
        let on = enabled(vec![layer(None, &["K102"], &["K102"])]);
        assert!(!on.contains(&"K102"));
        let on = enabled(vec![layer(Some(&["ALL"]), &[], &["Y"])]);
        assert!(on.contains(&"B005") && !on.contains(&"Y001"));
    }

    #[test]
    fn a_later_select_replaces_earlier_layers() {
        let config = layer(None, &["B005"], &["K102"]);
        let cli = layer(Some(&["K1"]), &[], &[]);
        let on = enabled(vec![config.clone(), cli]);
        assert!(on.contains(&"K102") && !on.contains(&"B005") && !on.contains(&"K001"));
        let cli = layer(None, &[], &["B"]);
        let on = enabled(vec![config, cli]);
        assert!(!on.contains(&"B005") && !on.contains(&"K102") && on.contains(&"K101"));
    }

    #[test]
    fn severity_off_disables_and_overrides_are_most_specific() {
        let sel = RuleSelection {
            severity: vec![("Y".into(), Some(Severity::Info)), ("Y003".into(), None)],
            ..Default::default()
        };
        assert_eq!(
            sel.severity_of("Y001", Severity::Error),
            Some(Severity::Info)
        );
        assert_eq!(sel.severity_of("Y003", Severity::Warning), None);
        assert_eq!(
            sel.severity_of("K102", Severity::Error),
            Some(Severity::Error)
        );
        assert!(!sel.enabled_codes().contains(&"Y003"));
    }

    #[test]
    fn known_selectors() {
        for ok in ["K", "K1", "K102", "ALL", "S", "P", "D", "B", "L"] {
            assert!(is_known_selector(ok), "{ok}");
        }
        for bad in ["K999", "Z", "K1020", "", "X1"] {
            assert!(!is_known_selector(bad), "{bad}");
        }
    }
}
