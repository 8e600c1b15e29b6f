//! Baselines: record today's findings once (`--write-baseline FILE`), then report only new ones
//! (`--baseline FILE`). A finding is keyed by its code, its file and a fingerprint of where it is
//! in the flow (the path of the smallest YAML node holding it, with task ids instead of list
//! indices) and that node's normalised content — never by line number, so edits elsewhere in
//! the file do not bring old findings back.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;
use crate::yaml::{self, Node, NodeKind};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    pub path: String,
    pub fingerprint: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline: how many times each finding was recorded.
#[derive(Debug, Default)]
pub struct Baseline {
    remaining: BTreeMap<Entry, usize>,
}

/// What applying a baseline did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Findings hidden because the baseline has them.
    pub hidden: usize,
    /// Baseline entries matching nothing in the files checked (or whose file is gone).
    pub stale: usize,
}

/// 64-bit FNV-1a: tiny, stable across platforms and releases (unlike `DefaultHasher`).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A list item's name in a node path: its `id` (also a Dag wrapper's `task.id`), else its index.
fn item_segment(item: &Node, index: usize) -> String {
    let id = item
        .get_str("id")
        .or_else(|| item.get("task").and_then(|t| t.get_str("id")));
    match id {
        Some(id) => format!("[{id}]"),
        None => index.to_string(),
    }
}

fn contains(span: &crate::diagnostic::Span, at: usize) -> bool {
    span.start <= at && (at < span.end || at == span.start)
}

/// The path of the smallest node holding byte `at`, and that node's normalised content.
pub fn locate(root: &Node, at: usize) -> (String, Option<String>) {
    let mut path = String::new();
    let mut current = root;
    loop {
        let next = match &current.kind {
            NodeKind::Map(entries) => entries.iter().find_map(|e| {
                let key = e.key_str().unwrap_or("");
                if contains(&e.key.span, at) {
                    path.push('/');
                    path.push_str(key);
                    path.push_str("/#key");
                    return Some(Err(key.to_string()));
                }
                contains(&e.value.span, at).then(|| {
                    path.push('/');
                    path.push_str(key);
                    Ok(&e.value)
                })
            }),
            NodeKind::Seq(items) => items.iter().enumerate().find_map(|(i, item)| {
                contains(&item.span, at).then(|| {
                    path.push('/');
                    path.push_str(&item_segment(item, i));
                    Ok(item)
                })
            }),
            _ => None,
        };
        match next {
            Some(Ok(node)) => current = node,
            Some(Err(key)) => return (path, Some(key)),
            None => break,
        }
    }
    if path.is_empty() {
        // The whole flow: its content would change with every edit.
        return (path, None);
    }
    let content = match &current.kind {
        NodeKind::Scalar(s) => s.text.clone(),
        NodeKind::Alias(name) => format!("*{name}"),
        _ => current.to_json().to_string(),
    };
    (path, Some(content))
}

/// A file path as recorded: relative to the current directory, with `/`.
pub fn shown_path(path: &Path, cwd: &Path) -> String {
    let rel = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    crate::source::display_path(rel)
}

/// The baseline entries of one file's findings, in the same order.
pub fn entries(report: &FileReport, cwd: &Path) -> Vec<Entry> {
    let path = shown_path(&report.source.path, cwd);
    let doc = yaml::parse(&report.source.text);
    report
        .diagnostics
        .iter()
        .map(|d| entry(&path, doc.root.as_ref(), d))
        .collect()
}

fn entry(path: &str, root: Option<&Node>, d: &Diagnostic) -> Entry {
    let (node_path, content) = match root {
        Some(root) => locate(root, d.primary.span.start),
        None => (String::new(), None),
    };
    let content = content.unwrap_or_else(|| d.message.clone());
    let hash = fnv1a(&[d.code, path, &node_path, &content]);
    Entry {
        code: d.code.to_string(),
        path: path.to_string(),
        fingerprint: format!("{hash:016x}"),
    }
}

/// The baseline file's text for these reports: sorted by path, code and fingerprint, one entry
/// per occurrence.
pub fn render(reports: &[FileReport], cwd: &Path) -> (String, usize) {
    let mut findings: Vec<Entry> = reports.iter().flat_map(|r| entries(r, cwd)).collect();
    findings.sort_by(|a, b| {
        (&a.path, &a.code, &a.fingerprint).cmp(&(&b.path, &b.code, &b.fingerprint))
    });
    let count = findings.len();
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    (text, count)
}

impl Baseline {
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: BaselineFile =
            serde_json::from_str(text).map_err(|e| format!("not a kestra-lint baseline: {e}"))?;
        if file.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                file.version
            ));
        }
        let mut remaining = BTreeMap::new();
        for e in file.findings {
            *remaining.entry(e).or_insert(0) += 1;
        }
        Ok(Self { remaining })
    }

    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
        Self::parse(&text)
    }

    /// Remove the findings the baseline records from `reports`.
    pub fn apply(mut self, reports: &mut [FileReport], cwd: &Path) -> Applied {
        let mut applied = Applied::default();
        let mut checked = HashSet::new();
        for report in reports.iter_mut() {
            if report.diagnostics.is_empty() {
                checked.insert(shown_path(&report.source.path, cwd));
                continue;
            }
            let keys = entries(report, cwd);
            if let Some(first) = keys.first() {
                checked.insert(first.path.clone());
            }
            let mut keep = keys.iter().map(|key| match self.remaining.get_mut(key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            });
            let before = report.diagnostics.len();
            report.diagnostics.retain(|_| keep.next().unwrap_or(true));
            applied.hidden += before - report.diagnostics.len();
        }
        applied.stale = self
            .remaining
            .iter()
            .filter(|(e, _)| checked.contains(&e.path) || !cwd.join(&e.path).exists())
            .map(|(_, n)| n)
            .sum();
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{lint_source, LintOptions};
    use crate::source::SourceFile;

    fn report(text: &str) -> FileReport {
        let source = SourceFile::new("flows/a.yml", text.to_string());
        let result = lint_source(&source, &LintOptions::default());
        FileReport {
            source,
            diagnostics: result.diagnostics,
            is_flow: result.is_flow,
            summary: result.summary,
            hidden: result.hidden,
        }
    }

    const FLOW: &str = "id: f\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: y\n";

    #[test]
    fn node_paths_use_task_ids() {
        let doc = yaml::parse(FLOW);
        let at = FLOW.find("message: y").unwrap() + 9;
        let (path, content) = locate(doc.root.as_ref().unwrap(), at);
        assert_eq!(path, "/tasks/[a]/message");
        assert_eq!(content.as_deref(), Some("y"));
        let (path, content) = locate(doc.root.as_ref().unwrap(), 0);
        assert_eq!(
            (path.as_str(), content.as_deref()),
            ("/id/#key", Some("id"))
        );
    }

    #[test]
    fn round_trip_survives_a_line_shift_and_reports_a_new_finding() {
        let cwd = Path::new("/nowhere");
        let (text, count) = render(&[report(FLOW)], cwd);
        assert_eq!(count, 1);
        assert!(text.starts_with("{\n  \"version\": 1,\n  \"findings\": ["));

        // Lines added above, and a new duplicate below.
        let edited = format!(
            "# a comment\n\n{FLOW}  - id: b\n    type: io.kestra.plugin.core.log.Log\n    message: z\n  - id: b\n    type: io.kestra.plugin.core.log.Log\n    message: w\n"
        )
        .replace("namespace: n\n", "namespace: n\ndescription: moved\n");
        let mut reports = [report(&edited)];
        assert_eq!(reports[0].diagnostics.len(), 2);
        let applied = Baseline::parse(&text).unwrap().apply(&mut reports, cwd);
        assert_eq!(
            applied,
            Applied {
                hidden: 1,
                stale: 0
            }
        );
        assert_eq!(reports[0].diagnostics.len(), 1);
        assert!(reports[0].diagnostics[0].message.contains("`b`"));

        // Fixed: the entry is stale.
        let mut reports = [report(&FLOW.replace(
            "  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: y\n",
            "",
        ))];
        let applied = Baseline::parse(&text).unwrap().apply(&mut reports, cwd);
        assert_eq!(
            applied,
            Applied {
                hidden: 0,
                stale: 1
            }
        );
    }

    #[test]
    fn rejects_other_files_and_versions() {
        assert!(Baseline::parse("[]").is_err());
        assert!(Baseline::parse("{\"version\": 2, \"findings\": []}").is_err());
        assert!(Baseline::parse("{\"version\": 1, \"findings\": []}").is_ok());
    }
}
