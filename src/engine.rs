//! Lint one file: bytes → text → YAML → flow view → rules → sorted diagnostics.

use std::path::Path;
use std::sync::Arc;

use crate::config::{ResolvedTarget, Settings, Target};
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
    /// The Kestra release line to lint for, resolved once per run.
    pub target: ResolvedTarget,
    /// The settings of files that have their own config file (closest above them).
    pub per_file: Option<Arc<crate::config::per_file::PerFile>>,
}

impl LintOptions {
    /// The settings that apply to the file at `path`.
    pub fn settings_for(&self, path: &Path) -> &Settings {
        self.per_file
            .as_ref()
            .and_then(|p| p.get(path))
            .unwrap_or(&self.settings)
    }

    /// The release line for a file with these settings: its config's `target-version`, else
    /// the run's target (a nested config without one inherits it).
    pub fn target_for(&self, settings: &Settings) -> Target {
        settings
            .target_version
            .and_then(|v| Target::from_version(v).ok())
            .unwrap_or(self.target.target)
    }

    /// The schema layers for a file on `target`: the run's, with the embedded core schema of
    /// `target` when a nested config chose another release line.
    pub fn schema_for(&self, target: Target) -> Option<Arc<SchemaStore>> {
        let store = self.schema.as_ref()?;
        if target == self.target.target {
            Some(store.clone())
        } else {
            Some(store.for_target(target))
        }
    }
}

impl Default for LintOptions {
    fn default() -> Self {
        Self::for_settings(Arc::default())
    }
}

impl LintOptions {
    /// Options for `settings`: their target, and the embedded core schema of that target.
    pub fn for_settings(settings: Arc<Settings>) -> Self {
        let target = settings.resolved_target();
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            force_flow: false,
            schema: Some(SchemaStore::embedded_for(target.target)),
            settings,
            target,
            per_file: None,
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
    /// The findings over the limits, said by the closing L003 note.
    pub hidden: crate::limits::Hidden,
}

pub struct LintResult {
    pub diagnostics: Vec<Diagnostic>,
    pub is_flow: bool,
    pub summary: Option<FlowSummary>,
    pub hidden: crate::limits::Hidden,
}

/// Lint text already in memory.
pub fn lint_source(source: &SourceFile, options: &LintOptions) -> LintResult {
    lint_parsed(source, &yaml::parse(&source.text), options)
}

/// Lint text already parsed (`doc` is `yaml::parse(&source.text)`): the language server keeps
/// the tree of each document version for hover and completion, so it parses once.
pub fn lint_parsed(source: &SourceFile, doc: &yaml::Document, options: &LintOptions) -> LintResult {
    // Flows are `.yml`/`.yaml` files: a README or a JSON file named on the command line (or by
    // pre-commit) is not linted, even when it happens to read as YAML.
    if !options.force_flow && !has_yaml_extension(&source.path) {
        return LintResult {
            diagnostics: Vec::new(),
            is_flow: false,
            summary: None,
            hidden: Default::default(),
        };
    }
    let is_flow = match (&doc.root, &doc.syntax_error) {
        (Some(root), _) => options.force_flow || is_flow(root),
        // A broken file is linted when it still reads like a flow, so Helm templates and other
        // non-flow YAML passed by pre-commit stay quiet.
        (None, Some(_)) => options.force_flow || looks_like_broken_flow(source, options),
        // Nothing but comments or blank lines: a flow only when asked for one (stdin, where
        // an empty buffer must not pass as a flow with no problems).
        (None, None) => options.force_flow,
    };
    if !is_flow {
        return LintResult {
            diagnostics: Vec::new(),
            is_flow: false,
            summary: None,
            hidden: Default::default(),
        };
    }
    // A document with no node at all reads as an empty mapping, so K001 names what it lacks.
    let empty_root;
    let root = match (&doc.root, &doc.syntax_error) {
        (Some(root), _) => Some(root),
        (None, Some(_)) => None,
        (None, None) => {
            empty_root = yaml::Node {
                kind: yaml::NodeKind::Map(Vec::new()),
                span: 0..0,
                flow_style: false,
            };
            Some(&empty_root)
        }
    };
    let flow = root.map(Flow::new);
    let settings = options.settings_for(&source.path);
    let target = options.target_for(settings);
    let schema = options.schema_for(target);
    let mut schema_findings = match (&schema, &flow) {
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
        Some(flow) => crate::flow::templates::collect(
            &source.text,
            flow,
            options.settings.recursive_rendering,
        ),
        None => Vec::new(),
    };
    let ctx = Context {
        source,
        doc,
        flow: flow.as_ref(),
        schema: schema.as_deref(),
        schema_findings: &schema_findings,
        templates: &templates,
        target,
        edition: settings.edition,
        policy: &settings.policy,
    };
    // Selection, the target's version behaviour, suppressions and severities are applied
    // here, not in the rules.
    let filter = settings.rule_filter(&source.path);
    let mut diagnostics = Vec::new();
    for rule in rules::all() {
        let meta = rule.meta();
        if !filter.is_enabled(meta) || !meta.versions.applies_to(target) {
            continue;
        }
        let start = diagnostics.len();
        rule.check(&ctx, &mut diagnostics);
        for d in &mut diagnostics[start..] {
            d.severity = meta.versions.severity(d.severity, target);
        }
    }
    crate::suppress::finish(source, Some(doc), &filter, &mut diagnostics);
    sort(&mut diagnostics);
    let mut hidden = crate::limits::Hidden::default();
    crate::limits::cap(&mut diagnostics, &mut hidden, options.settings.limits);
    LintResult {
        diagnostics,
        is_flow: true,
        summary: flow.as_ref().and_then(|f| summarize(f, &templates)),
        hidden,
    }
}

/// Lint raw bytes read from `path`.
pub fn lint_bytes(path: &Path, bytes: Vec<u8>, options: &LintOptions) -> FileReport {
    lint_bytes_keeping_tree(path, bytes, options).0
}

/// [`lint_bytes`], also giving back the YAML tree it linted (`None` for bytes that are not
/// text, Y006).
pub fn lint_bytes_keeping_tree(
    path: &Path,
    bytes: Vec<u8>,
    options: &LintOptions,
) -> (FileReport, Option<yaml::Document>) {
    if let Some((offset, message)) = rules::y006_not_text::problem(&bytes) {
        let text = String::from_utf8_lossy(&bytes[..offset]).into_owned();
        let at = text.len();
        let source = SourceFile::new(path, text);
        let diag = rules::y006_not_text::META
            .diag(message, at..at)
            .with_help("Kestra reads flows as UTF-8 text");
        let mut diagnostics = vec![diag];
        let filter = options.settings_for(&source.path).rule_filter(&source.path);
        crate::suppress::finish(&source, None, &filter, &mut diagnostics);
        let report = FileReport {
            source,
            diagnostics,
            is_flow: true,
            summary: None,
            hidden: Default::default(),
        };
        return (report, None);
    }
    let text = String::from_utf8(bytes).unwrap_or_default();
    let source = SourceFile::new(path, text);
    let doc = yaml::parse(&source.text);
    let result = lint_parsed(&source, &doc, options);
    let report = FileReport {
        source,
        diagnostics: result.diagnostics,
        is_flow: result.is_flow,
        summary: result.summary,
        hidden: result.hidden,
    };
    (report, Some(doc))
}

/// Read and lint one file. I/O failures are returned to the caller (exit code 2).
pub fn lint_path(path: &Path, options: &LintOptions) -> std::io::Result<FileReport> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory, not a file"));
    }
    // Checked before opening: opening a FIFO blocks until a writer comes, and a device
    // (`/dev/zero`, `/dev/stdin`) never ends.
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "is {}, not a regular file; it was not read",
            describe_file_type(&meta.file_type())
        )));
    }
    if meta.len() > options.max_file_size {
        let message = format!(
            "file is {} bytes, over the {}-byte limit; it was not linted",
            meta.len(),
            options.max_file_size
        );
        return Ok(too_large(path, message, options));
    }
    // The size in the metadata can lie (procfs, a file still growing): read at most one byte
    // past the limit, whatever it says.
    use std::io::Read;
    // Sized from the metadata (`take` hides the size from `read_to_end`): one read, no regrowth.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    std::fs::File::open(path)?
        .take(options.max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > options.max_file_size {
        let message = format!(
            "file holds more than the {}-byte limit; it was not linted",
            options.max_file_size
        );
        return Ok(too_large(path, message, options));
    }
    Ok(lint_bytes(path, bytes, options))
}

/// Y007 for a file (or stdin, or an editor buffer) over `max_file_size`, through the same
/// selection and suppressions as every other finding.
pub fn too_large(path: &Path, message: String, options: &LintOptions) -> FileReport {
    let source = SourceFile::new(path, String::new());
    let diag = rules::y007_file_too_large::META
        .diag(message, 0..0)
        .with_help("flows are small; exclude generated data files from linting");
    let mut diagnostics = vec![diag];
    let filter = options.settings_for(&source.path).rule_filter(&source.path);
    crate::suppress::finish(&source, None, &filter, &mut diagnostics);
    FileReport {
        source,
        diagnostics,
        is_flow: true,
        summary: None,
        hidden: Default::default(),
    }
}

/// "a FIFO (named pipe)", "a character device", … for error messages.
pub fn describe_file_type(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_symlink() {
        return "a symlink";
    }
    "a special file"
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

fn has_yaml_extension(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yml" | "yaml" | "YML" | "YAML")
    )
}

/// Is a `.yml`/`.yaml` file that failed to parse meant as a flow? Yes when it lies under the
/// configured `flows-root`, or when it has both an `id` and a `namespace` key (in any quoting)
/// at the top level, give or take one column or a tab: the very mistakes that broke it
/// (` namespace:`, a leading tab, an unterminated quote) must not hide it. Deeper keys do not
/// count, so a Helm template's `metadata: namespace:` stays quiet, and so does a README.
fn looks_like_broken_flow(source: &SourceFile, options: &LintOptions) -> bool {
    if options
        .settings
        .policy
        .path_in_flows_root(&source.path)
        .is_some()
    {
        return true;
    }
    looks_like_flow_text(&source.text)
}

/// `id` and `namespace` keys at (about) the lowest indentation of the file's keys.
fn looks_like_flow_text(text: &str) -> bool {
    let keys: Vec<(usize, &str)> = text.lines().filter_map(key_of_line).collect();
    let Some(top) = keys.iter().map(|(indent, _)| *indent).min() else {
        return false;
    };
    let has = |name: &str| keys.iter().any(|&(i, k)| k == name && i <= top + 1);
    has("id") && has("namespace")
}

/// The indentation (spaces and tabs, one column each) and name of a `key:` line; the name may
/// be quoted, and a sequence dash is not a key line.
fn key_of_line(line: &str) -> Option<(usize, &str)> {
    let body = line.trim_start_matches([' ', '\t']);
    let indent = line.len() - body.len();
    let (name, rest) = match body.as_bytes().first()? {
        b'#' | b'-' => return None,
        q @ (b'"' | b'\'') if body[1..].contains(*q as char) => {
            let close = body[1..].find(*q as char)? + 1;
            (&body[1..close], &body[close + 1..])
        }
        // An unterminated quote (`"id: x`) still names the key.
        _ => {
            let unquoted = body.trim_start_matches(['"', '\'']);
            let colon = unquoted.find(':')?;
            (&unquoted[..colon], &unquoted[colon..])
        }
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let is_key = rest.starts_with(':')
        && rest[1..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t');
    is_key.then_some((indent, name.trim_end()))
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

/// One flow, as the cross-file rules see it: a linted file, or a flow of the repository index.
pub struct CrossFile<'a> {
    /// Index of its report; `None` for a flow known only from the repository index, whose
    /// findings are not reported.
    pub report: Option<usize>,
    /// Its path as reports print it.
    pub path: String,
    pub summary: &'a FlowSummary,
}

/// A flow of the repository that was not linted (see [`crate::repo_index`]).
#[derive(Debug, Clone)]
pub struct RepoFlow {
    pub path: String,
    pub summary: FlowSummary,
}

/// The rules that look at several files at once (K7xx, and P101 for Flow trigger inputs): same
/// flow defined twice, subflow targets missing, subflow call cycles, outputs read from an
/// upstream flow that lacks the task. Runs after every file was linted, on reports in path
/// order, with the other flows of the repository (`repo`, empty without the index); findings
/// go only to the files that were linted, through the same selection, suppressions and
/// severities as per-file findings.
pub fn cross_file(reports: &mut [FileReport], options: &LintOptions, repo: &[RepoFlow]) {
    let mut files: Vec<CrossFile<'_>> = reports
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            Some(CrossFile {
                report: Some(i),
                path: r.source.display_path(),
                summary: r.summary.as_ref()?,
            })
        })
        .collect();
    files.extend(repo.iter().map(|f| CrossFile {
        report: None,
        path: f.path.clone(),
        summary: &f.summary,
    }));
    // Path order, so "first" is the same whichever files were named.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if files.len() < 2 || files.iter().all(|f| f.report.is_none()) {
        return;
    }
    let scope = if repo.is_empty() {
        rules::k702_unknown_subflow::Scope::Linted
    } else {
        rules::k702_unknown_subflow::Scope::Repository
    };
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    rules::k701_duplicate_flow::check_files(&files, &mut found);
    rules::k702_unknown_subflow::check_files(&files, scope, &mut found);
    rules::k703_subflow_cycle::check_files(&files, &mut found);
    rules::p101_unknown_task_output::check_files(&files, &mut found);
    drop(files);
    found.sort_by_key(|(i, _)| *i);
    let mut groups: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
    for (index, diagnostic) in found {
        match groups.last_mut() {
            Some((last, group)) if *last == index => group.push(diagnostic),
            _ => groups.push((index, vec![diagnostic])),
        }
    }
    // Suppression comments are read again from each file's text: in parallel, as linting is.
    let finished: Vec<(usize, Vec<Diagnostic>)> = {
        let reports: &[FileReport] = reports;
        use rayon::prelude::*;
        groups
            .into_par_iter()
            .map(|(index, mut diagnostics)| {
                let report = &reports[index];
                let filter = options
                    .settings_for(&report.source.path)
                    .rule_filter(&report.source.path);
                crate::suppress::finish_cross_file(&report.source, &filter, &mut diagnostics);
                (index, diagnostics)
            })
            .collect()
    };
    for (index, diagnostics) in finished {
        let report = &mut reports[index];
        report.diagnostics.extend(diagnostics);
        sort(&mut report.diagnostics);
        crate::limits::cap(
            &mut report.diagnostics,
            &mut report.hidden,
            options.settings.limits,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_flow_text;

    #[test]
    fn broken_flows_are_recognised() {
        for text in [
            "id: a\nnamespace: b\ntasks: [\n",
            "\"id\": \"a\nnamespace: b\n",
            "\"id: a\nnamespace: b\n",
            "id: a\n namespace: b\n",
            "\tid: a\nnamespace: b\n",
            "'id' : a\n'namespace': b\n",
        ] {
            assert!(looks_like_flow_text(text), "{text:?}");
        }
    }

    #[test]
    fn other_broken_yaml_is_not_a_flow() {
        for text in [
            "apiVersion: v1\nmetadata:\n  namespace: {{ .Release.Namespace }}\n  id: {{ x }\n",
            "id: a\n",
            "- id: a\n  namespace: b\n",
            "# id: a\n# namespace: b\n",
            "idx: a\nnamespaces: b\n",
            "id:a\nnamespace:b\n",
        ] {
            assert!(!looks_like_flow_text(text), "{text:?}");
        }
    }
}
