//! `--statistics`: how many findings each rule produced, most frequent first, then by code.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use super::OutputFormat;
use crate::diagnostic::Severity;
use crate::engine::FileReport;

pub struct Row {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub count: usize,
}

pub fn rows(files: &[FileReport]) -> Vec<Row> {
    let mut by_code: BTreeMap<&'static str, Row> = BTreeMap::new();
    for diag in files.iter().flat_map(|f| &f.diagnostics) {
        by_code
            .entry(diag.code)
            .or_insert(Row {
                code: diag.code,
                name: diag.name,
                severity: diag.severity,
                count: 0,
            })
            .count += 1;
    }
    let mut rows: Vec<Row> = by_code.into_values().collect();
    // Stable sort: equal counts keep code order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.count));
    rows
}

/// A table for people, or JSON for `json` / `json-lines`.
pub fn render(format: OutputFormat, files: &[FileReport]) -> String {
    let rows = rows(files);
    let mut out = String::new();
    match format {
        OutputFormat::Json | OutputFormat::JsonLines => {
            let values: Vec<_> = rows
                .iter()
                .map(|r| json!({ "code": r.code, "name": r.name, "severity": r.severity, "count": r.count }))
                .collect();
            if format == OutputFormat::Json {
                out.push_str(&serde_json::to_string_pretty(&values).unwrap_or_default());
                out.push('\n');
            } else {
                for v in values {
                    out.push_str(&v.to_string());
                    out.push('\n');
                }
            }
        }
        _ => {
            let width = rows
                .iter()
                .map(|r| r.count.to_string().len())
                .max()
                .unwrap_or(1);
            for r in &rows {
                let _ = writeln!(
                    out,
                    "{:>width$}  {:<5} {:<28} {}",
                    r.count, r.code, r.name, r.severity
                );
            }
        }
    }
    out
}
