//! SARIF 2.1.0: one run, every rule of the linter in `tool.driver.rules` (so `ruleIndex` is
//! stable), results located relative to `%SRCROOT%` (the working directory), columns in Unicode
//! code points, line-independent `partialFingerprints`, and fixes when a rule offers one.

use serde_json::{json, Map, Value};

use super::common::{self, RepoPath};
use super::RenderContext;
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::engine::FileReport;
use crate::rules::RuleMeta;
use crate::source::SourceFile;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The tool has no home page of its own yet; SARIF asks for one.
const INFORMATION_URI: &str = "https://kestra.io";
const FINGERPRINT_KEY: &str = "kestraLint/v1";
const SRCROOT: &str = "%SRCROOT%";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF wants plain-text messages to be sentences.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// The first paragraph of a rule's docs under "What it does", on one line.
fn what_it_does(docs: &str) -> Option<String> {
    let body = docs
        .split("## What it does")
        .nth(1)?
        .trim_start()
        .split("\n\n")
        .next()?;
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    (!line.is_empty() && !line.starts_with('#')).then_some(line)
}

fn rule(meta: &RuleMeta) -> Value {
    let full = what_it_does(meta.docs).unwrap_or_else(|| meta.summary.to_string());
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": sentence(meta.summary) },
        "fullDescription": { "text": sentence(&full) },
        "help": { "text": meta.docs, "markdown": meta.docs },
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": { "fixable": meta.fixable },
    })
}

fn artifact(path: &RepoPath) -> Value {
    match path {
        RepoPath::Relative(rel) => json!({ "uri": common::uri_path(rel), "uriBaseId": SRCROOT }),
        RepoPath::Absolute(abs) => json!({ "uri": common::file_uri(abs) }),
    }
}

fn region(file: &SourceFile, span: &Span) -> Value {
    let r = common::range(file, span);
    json!({
        "startLine": r.start.line,
        "startColumn": r.start.column,
        "endLine": r.end.line,
        "endColumn": r.end.column,
    })
}

fn result(
    file: &SourceFile,
    path: &RepoPath,
    diag: &Diagnostic,
    fingerprint: &str,
) -> Map<String, Value> {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(diag.code));
    if let Some(index) = common::rule_index(diag.code) {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(diag.severity)));
    let mut message = sentence(&diag.message);
    if let Some(help) = &diag.help {
        message.push_str(&format!(" Help: {}", sentence(help)));
    }
    result.insert("message".into(), json!({ "text": message }));
    result.insert(
        "locations".into(),
        json!([{
            "physicalLocation": {
                "artifactLocation": artifact(path),
                "region": region(file, &diag.primary.span),
            }
        }]),
    );
    if !diag.secondary.is_empty() {
        let related: Vec<Value> = diag
            .secondary
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let mut location = json!({
                    "id": i + 1,
                    "physicalLocation": {
                        "artifactLocation": artifact(path),
                        "region": region(file, &label.span),
                    }
                });
                if !label.message.is_empty() {
                    location["message"] = json!({ "text": sentence(&label.message) });
                }
                location
            })
            .collect();
        result.insert("relatedLocations".into(), Value::Array(related));
    }
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint }),
    );
    if let Some(fix) = &diag.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region(file, &edit.span),
                    "insertedContent": { "text": edit.content },
                })
            })
            .collect();
        result.insert(
            "fixes".into(),
            json!([{
                "description": { "text": sentence(&fix.message) },
                "artifactChanges": [{
                    "artifactLocation": artifact(path),
                    "replacements": replacements,
                }],
            }]),
        );
    }
    result
}

pub fn render(out: &mut String, files: &[FileReport], ctx: &RenderContext) {
    let fingerprints = common::fingerprints(files, &ctx.cwd);
    let mut results = Vec::new();
    for (file, prints) in files.iter().zip(&fingerprints) {
        let path = RepoPath::new(&file.source.path, &ctx.cwd);
        for (diag, fingerprint) in file.diagnostics.iter().zip(prints) {
            results.push(Value::Object(result(
                &file.source,
                &path,
                diag,
                fingerprint,
            )));
        }
    }
    let rules: Vec<Value> = common::rule_metas().into_iter().map(rule).collect();
    let version = env!("CARGO_PKG_VERSION");
    let root = common::file_uri(&format!(
        "{}/",
        ctx.cwd
            .to_string_lossy()
            .replace('\\', "/")
            .trim_end_matches('/')
    ));
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "kestra-lint",
                    "version": version,
                    "semanticVersion": version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "originalUriBaseIds": { SRCROOT: { "uri": root } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    out.push_str(&serde_json::to_string_pretty(&log).unwrap_or_default());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_descriptions() {
        assert_eq!(sentence("duplicate id `a`"), "duplicate id `a`.");
        assert_eq!(sentence("done."), "done.");
        assert_eq!(
            what_it_does("## What it does\nReports a\nthing.\n\n## Why\n").as_deref(),
            Some("Reports a thing.")
        );
    }
}
