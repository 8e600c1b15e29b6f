//! Lint one file: bytes → text → YAML → flow view → rules → sorted diagnostics.

use std::path::Path;
use std::sync::Arc;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::flow::summary::{summarize, FlowSummary};
use crate::flow::{is_flow, Flow};
use crate::rules::{self, Context};
use crate::schema::{self, SchemaStore};
use crate::source::SourceFile;
use crate::yaml;

/// Files larger than this are reported, not read.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct LintOptions {
    pub max_file_size: u64,
    /// Lint the document as a flow even if it does not look like one (stdin).
    pub force_flow: bool,
    /// The schema layers to validate against; `None` skips schema validation.
    pub schema: Option<Arc<SchemaStore>>,
    /// Rule selection, severities, per-file ignores, policy and target version.
    pub settings: Arc<Settings>,
}

impl Default for LintOptions {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            force_flow: false,
            schema: Some(SchemaStore::embedded()),
            settings: Arc::default(),
        }
    }
}

/// What was found in one file.
#[derive(Debug)]
pub struct FileReport {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
    /// False for YAML that is not a flow (skipped silently).
    pub is_flow: bool,
    /// Identity and subflow calls of the flow, for the cross-file rules.
    pub summary: Option<FlowSummary>,
}

pub struct LintResult {
    pub diagnostics: Vec<Diagnostic>,
    pub is_flow: bool,
    pub summary: Option<FlowSummary>,
}

/// Lint text already in memory.
pub fn lint_source(source: &SourceFile, options: &LintOptions) -> LintResult {
    let doc = yaml::parse(&source.text);
    let is_flow = match (&doc.root, &doc.syntax_error) {
        (Some(root), _) => options.force_flow || is_flow(root),
        // A broken file is linted when it still reads like a flow, so Helm templates and other
        // non-flow YAML passed by pre-commit stay quiet.
        (None, Some(_)) => options.force_flow || looks_like_flow_text(&source.text),
        (None, None) => false,
    };
    if !is_flow {
        return LintResult {
            diagnostics: Vec::new(),
            is_flow: false,
            summary: None,
        };
    }
    let flow = doc.root.as_ref().map(Flow::new);
    let mut schema_findings = match (&options.schema, &flow) {
        (Some(store), Some(flow)) => schema::validate_flow(store, flow),
        _ => Vec::new(),
    };
    // An unquoted `{{ … }}` is one mistake (P001), not also a type error.
    schema_findings.retain(|f| {
        !doc.unquoted_templates
            .iter()
            .any(|u| f.span.start < u.end && u.start < f.span.end)
    });
    let templates = match &flow {
        Some(flow) => crate::flow::templates::collect(&source.text, flow),
        None => Vec::new(),
    };
    let ctx = Context {
        source,
        doc: &doc,
        flow: flow.as_ref(),
        schema: options.schema.as_deref(),
        schema_findings: &schema_findings,
        templates: &templates,
        target_version: options.settings.target_version,
        policy: &options.settings.policy,
    };
    // Selection, suppressions and severities are applied here, not in the rules.
    let filter = options.settings.rule_filter(&source.path);
    let mut diagnostics = Vec::new();
    for rule in rules::all() {
        if filter.is_enabled(rule.meta()) {
            rule.check(&ctx, &mut diagnostics);
        }
    }
    crate::suppress::finish(source, Some(&doc), &filter, &mut diagnostics);
    sort(&mut diagnostics);
    LintResult {
        diagnostics,
        is_flow: true,
        summary: flow.as_ref().and_then(summarize),
    }
}

/// Lint raw bytes read from `path`.
pub fn lint_bytes(path: &Path, bytes: Vec<u8>, options: &LintOptions) -> FileReport {
    if let Some((offset, message)) = rules::y006_not_text::problem(&bytes) {
        let text = String::from_utf8_lossy(&bytes[..offset]).into_owned();
        let at = text.len();
        let source = SourceFile::new(path, text);
        let diag = rules::y006_not_text::META
            .diag(message, at..at)
            .with_help("Kestra reads flows as UTF-8 text");
        let mut diagnostics = vec![diag];
        let filter = options.settings.rule_filter(&source.path);
        crate::suppress::finish(&source, None, &filter, &mut diagnostics);
        return FileReport {
            source,
            diagnostics,
            is_flow: true,
            summary: None,
        };
    }
    let text = String::from_utf8(bytes).unwrap_or_default();
    let source = SourceFile::new(path, text);
    let result = lint_source(&source, options);
    FileReport {
        source,
        diagnostics: result.diagnostics,
        is_flow: result.is_flow,
        summary: result.summary,
    }
}

/// Read and lint one file. I/O failures are returned to the caller (exit code 2).
pub fn lint_path(path: &Path, options: &LintOptions) -> std::io::Result<FileReport> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory, not a file"));
    }
    if meta.len() > options.max_file_size {
        let source = SourceFile::new(path, String::new());
        let diag = rules::y007_file_too_large::META
            .diag(
                format!(
                    "file is {} bytes, over the {}-byte limit; it was not linted",
                    meta.len(),
                    options.max_file_size
                ),
                0..0,
            )
            .with_help("flows are small; exclude generated data files from linting");
        let mut diagnostics = vec![diag];
        let filter = options.settings.rule_filter(&source.path);
        crate::suppress::finish(&source, None, &filter, &mut diagnostics);
        return Ok(FileReport {
            source,
            diagnostics,
            is_flow: true,
            summary: None,
        });
    }
    let bytes = std::fs::read(path)?;
    Ok(lint_bytes(path, bytes, options))
}

/// Deterministic order: position, then code.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.start, a.primary.span.end, a.code, &a.message).cmp(&(
            b.primary.span.start,
            b.primary.span.end,
            b.code,
            &b.message,
        ))
    });
}

/// Top-level `id:` and `namespace:` lines, for files that failed to parse.
fn looks_like_flow_text(text: &str) -> bool {
    let top = |key: &str| {
        text.lines()
            .any(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
    };
    top("id") && top("namespace")
}

/// Findings that are said once per run, not once per file (S006: a type the schema does not
/// describe). Reports must be in path order so "first" is deterministic.
pub fn dedupe_across_files(reports: &mut [FileReport]) {
    let mut seen = std::collections::HashSet::new();
    for report in reports {
        report.diagnostics.retain(|d| {
            d.code != rules::s006_type_not_in_schema::META.code || seen.insert(d.message.clone())
        });
    }
}

/// One linted flow, as the cross-file rules see it.
pub struct CrossFile<'a> {
    /// Index of its report.
    pub report: usize,
    /// Its path as reports print it.
    pub path: String,
    pub summary: &'a FlowSummary,
}

/// The rules that look at several files at once (K7xx): same flow defined twice, subflow
/// targets missing from the linted set, subflow call cycles. Runs after every file was linted,
/// on reports in path order; findings go to the files that were linted, through the same
/// selection, suppressions and severities as per-file findings.
pub fn cross_file(reports: &mut [FileReport], options: &LintOptions) {
    let files: Vec<CrossFile<'_>> = reports
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            Some(CrossFile {
                report: i,
                path: r.source.display_path(),
                summary: r.summary.as_ref()?,
            })
        })
        .collect();
    if files.len() < 2 {
        return;
    }
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    rules::k701_duplicate_flow::check_files(&files, &mut found);
    rules::k702_unknown_subflow::check_files(&files, &mut found);
    rules::k703_subflow_cycle::check_files(&files, &mut found);
    drop(files);
    found.sort_by_key(|(i, _)| *i);
    let mut at = 0;
    while at < found.len() {
        let index = found[at].0;
        let end = at + found[at..].iter().take_while(|(i, _)| *i == index).count();
        let mut diagnostics: Vec<Diagnostic> =
            found[at..end].iter().map(|(_, d)| d.clone()).collect();
        let report = &mut reports[index];
        let filter = options.settings.rule_filter(&report.source.path);
        crate::suppress::finish_cross_file(&report.source, &filter, &mut diagnostics);
        report.diagnostics.extend(diagnostics);
        sort(&mut report.diagnostics);
        at = end;
    }
}
