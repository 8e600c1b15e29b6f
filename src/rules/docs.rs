//! `kestra-lint rule`: a rule's documentation, or the list of every rule, as text or JSON.
//! The docs themselves live next to each rule's code ([`RuleMeta::docs`]).

use super::RuleMeta;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RuleFormat {
    /// Markdown for one rule, a table for `--all`.
    #[default]
    Text,
    /// An object for one rule, an array for `--all`.
    Json,
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// One rule's documentation as Markdown.
pub fn text(meta: &RuleMeta) -> String {
    let mut out = format!("# {} {}\n\n{}\n\n", meta.code, meta.name, meta.summary);
    out.push_str(&format!(
        "Default severity: {}. Enabled by default: {}. Fix available: {}.\n\n",
        meta.severity,
        yes_no(meta.enabled_by_default),
        yes_no(meta.fixable)
    ));
    out.push_str(&format!(
        "Kestra versions: {}.\n\n",
        meta.versions.describe()
    ));
    out.push_str(meta.docs.trim_end());
    out.push('\n');
    out
}

/// One line per rule: code, name, severity, on by default, fixable, summary.
pub fn list<'a>(metas: impl IntoIterator<Item = &'a RuleMeta>) -> String {
    let mut out = format!(
        "{:<6} {:<28} {:<8} {:<9} {:<8} {:<4} {}\n",
        "code", "name", "severity", "versions", "default", "fix", "summary"
    );
    for m in metas {
        out.push_str(&format!(
            "{:<6} {:<28} {:<8} {:<9} {:<8} {:<4} {}\n",
            m.code,
            m.name,
            m.severity.as_str(),
            m.versions.short(),
            if m.enabled_by_default { "on" } else { "off" },
            if m.fixable { "yes" } else { "" },
            m.summary
        ));
    }
    out
}

pub fn json_value(m: &RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "code": m.code,
        "name": m.name,
        "severity": m.severity,
        "summary": m.summary,
        "fixable": m.fixable,
        "enabled_by_default": m.enabled_by_default,
        "versions": m.versions.short(),
        "docs": m.docs,
    })
}

/// Pretty JSON with a final newline.
pub fn json(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use crate::rules::all;

    /// Each rule's file, by its code (`k102_duplicate_task_id.rs`).
    fn source_of(code: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let prefix = format!("{}_", code.to_ascii_lowercase());
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .unwrap_or_else(|| panic!("no source file for {code}"));
        std::fs::read_to_string(file.path()).unwrap()
    }

    #[test]
    fn every_rule_has_docs_and_fixtures() {
        for rule in all() {
            let m = rule.meta();
            for section in ["## What it does", "## Why", "## Example"] {
                assert!(
                    m.docs.contains(section),
                    "{}: docs lack `{section}`",
                    m.code
                );
            }
            assert!(!m.summary.is_empty() && !m.name.is_empty(), "{}", m.code);
            let src = source_of(m.code);
            assert!(src.contains("#[test]"), "{}: no tests", m.code);
            let fires = ["assert_fires", "fn fires"].iter().any(|p| src.contains(p));
            let silent = ["assert_silent", "fn silent"]
                .iter()
                .any(|p| src.contains(p));
            assert!(
                fires && silent,
                "{}: needs a fixture that fires and one that must not",
                m.code
            );
        }
    }

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        let codes: Vec<&str> = all().iter().map(|r| r.meta().code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        for c in codes {
            let family = c.chars().next().unwrap();
            assert!(crate::config::selection::FAMILIES.contains(&family), "{c}");
            assert!(
                c.len() == 4 && c[1..].bytes().all(|b| b.is_ascii_digit()),
                "{c}"
            );
        }
    }
}
