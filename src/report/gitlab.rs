//! GitLab Code Quality (a Code Climate subset): a JSON array of issues with `description`,
//! `check_name`, `fingerprint`, `severity` and `location.path` + `location.lines`.

use serde_json::{json, Value};

use super::common::{self, RepoPath};
use super::RenderContext;
use crate::diagnostic::Severity;
use crate::engine::FileReport;

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(out: &mut String, files: &[FileReport], ctx: &RenderContext) {
    let fingerprints = common::fingerprints(files, &ctx.cwd);
    let mut issues = Vec::new();
    for (file, prints) in files.iter().zip(&fingerprints) {
        let path = RepoPath::new(&file.source.path, &ctx.cwd);
        for (diag, fingerprint) in file.diagnostics.iter().zip(prints) {
            let r = common::range(&file.source, &diag.primary.span);
            issues.push(json!({
                "description": format!("{}: {}", diag.code, common::printable(&diag.message)),
                "check_name": diag.code,
                "fingerprint": fingerprint,
                "severity": severity(diag.severity),
                "location": {
                    "path": path.as_str(),
                    "lines": { "begin": r.start.line, "end": r.end.line },
                },
            }));
        }
    }
    out.push_str(&serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default());
    out.push('\n');
}
