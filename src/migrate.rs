//! `kestra-lint migrate`: apply the fixes of the findings that report a Kestra 2.0
//! incompatibility (rules whose versions are `RefusedFrom2_0` or `Only2_0`, errors on 2.0),
//! always linting for 2.0, through the same verified fix passes as `check --fix`
//! ([`crate::fix`]), and say per file what changed and what still blocks.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use crate::config::ConfigArgs;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::engine::FileReport;
use crate::fix::{AppliedFix, DroppedFix, Fixed};
use crate::workspace::{FileArgs, Workspace};

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Files or directories to migrate (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Also apply the fixes that change behaviour or need review.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Write nothing; exit 1 when any file needs migrating.
    #[arg(long, conflicts_with = "diff")]
    pub check: bool,
    /// Print a unified diff of the migration and write nothing (exit 1 when any file needs
    /// migrating).
    #[arg(long)]
    pub diff: bool,
    /// `text`, or `json`: per file the fixes applied (code, message, targets), the fixes
    /// dropped and the findings that still block.
    #[arg(long, value_enum, default_value = "text")]
    pub output_format: MigrateFormat,
    /// Print only the files that change or block, no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Number of worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Exclude paths matching these globs (replaces the default excludes).
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub exclude: Option<Vec<String>>,
    /// Exclude paths matching these globs, on top of the default excludes.
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub extend_exclude: Vec<String>,
    /// Apply excludes to files named on the command line too.
    #[arg(long)]
    pub force_exclude: bool,
    /// Read settings from this file instead of searching for kestra-lint.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Validate against this schema (as served by a Kestra 2.0 server) instead of the pinned
    /// or embedded one, as `check --schema` does.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateFormat {
    Text,
    Json,
}

/// Is this finding a 2.0 incompatibility (what `migrate` fixes, and what blocks)?
pub fn is_incompatibility(d: &Diagnostic) -> bool {
    d.severity == Severity::Error
        && crate::rules::meta_of(d.code).is_some_and(|m| m.versions.refused_only_by_2_0())
}

/// One file's migration.
/// Rules that still pass on 2.0 but whose fix is one of kestra-migrate's rewrites (a
/// deprecated property or function, dbt `Build`, `CANCELED`, `local.Delete`'s new default):
/// `migrate` applies them too, so one run does what kestra-migrate does.
const MIGRATION_REWRITES: [&str; 5] = ["D002", "D003", "D004", "S004", "K803"];

fn is_migration_rewrite(d: &Diagnostic) -> bool {
    MIGRATION_REWRITES.contains(&d.code)
}

struct Outcome {
    path: PathBuf,
    shown: String,
    original: String,
    migrated: String,
    fixes: Vec<AppliedFix>,
    dropped: Vec<DroppedFix>,
    dropped_notes: Vec<String>,
    /// The 2.0 findings left: (code, line, column, message).
    blocking: Vec<(&'static str, usize, usize, String)>,
    /// Of those, how many an unsafe fix would handle (when unsafe fixes are off).
    unsafe_available: usize,
    /// Set when the write failed.
    write_error: Option<String>,
}

impl Outcome {
    /// What `fixed` did, and the report of the migrated text (whose cross-file findings are
    /// still to come: [`Outcome::block_on`] reads it then).
    fn new(fixed: Fixed) -> (Self, FileReport) {
        let outcome = Self {
            path: fixed.report.source.path.clone(),
            shown: fixed.report.source.display_path(),
            original: fixed.original().to_string(),
            migrated: fixed.report.source.text.clone(),
            dropped_notes: fixed.dropped_notes(),
            fixes: fixed.details,
            dropped: fixed.dropped,
            blocking: Vec::new(),
            unsafe_available: 0,
            write_error: None,
        };
        (outcome, fixed.report)
    }

    /// The 2.0 findings left in `report`.
    fn block_on(&mut self, report: &FileReport, include_unsafe: bool) {
        let blocking: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| is_incompatibility(d))
            .collect();
        self.unsafe_available = blocking
            .iter()
            .filter(|d| !include_unsafe && d.fix.is_some())
            .count();
        self.blocking = blocking
            .iter()
            .map(|d| {
                let at = report.source.line_col(d.primary.span.start);
                (d.code, at.line, at.column, d.message.clone())
            })
            .collect();
    }

    fn changed(&self) -> bool {
        self.original != self.migrated
    }

    fn needs_migrating(&self) -> bool {
        self.changed() || !self.blocking.is_empty()
    }
}

pub fn run(args: MigrateArgs) -> ExitCode {
    let cwd = std::env::current_dir().unwrap_or_default();
    // The target is always 2.0: a flag, so nested configs cannot choose 1.3 either.
    let config_args = ConfigArgs {
        config: args.config.clone(),
        isolated: args.isolated,
        target_version: Some("2.0".to_string()),
        schema: args.schema.clone(),
        ..ConfigArgs::default()
    };
    // Settings, files, nested configs and linting: the workspace's, as for `check`.
    let settings = match Workspace::settings(&config_args, &cwd) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    crate::workspace::use_threads(args.threads);
    let file_args = FileArgs {
        paths: &args.paths,
        exclude: args.exclude.as_deref(),
        extend_exclude: &args.extend_exclude,
        force_exclude: args.force_exclude,
    };
    let excludes = match file_args.excludes(&settings) {
        Ok(set) => set,
        Err(e) => return fail(&e),
    };
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        return fail("migrate does not read stdin: use `kestra-lint check --fix --unsafe-fixes --target-version 2.0 -` to fix a buffer");
    }
    let mut found = file_args.discover(&excludes);
    let mut tool_failed = !found.errors.is_empty();
    let workspace = match Workspace::open(&config_args, &cwd, settings, &found.files) {
        Ok(w) => w,
        Err(e) => return fail(&e),
    };
    workspace.retain_included(&mut found.files, &file_args);
    let (mut reports, unreadable) = workspace.lint_files(&found.files);
    tool_failed |= unreadable;
    reports.retain(|r| r.is_flow);

    // Migrate's own part: which fixes it applies.
    let include_unsafe = args.unsafe_fixes;
    let select = move |d: &Diagnostic| {
        (is_incompatibility(d) || is_migration_rewrite(d))
            && d.fix
                .as_ref()
                .is_some_and(|f| include_unsafe || f.applicability == Applicability::Safe)
    };
    let options = &workspace.options;
    // Each file's original report and fix passes are dropped as soon as it is fixed.
    let (mut outcomes, mut reports): (Vec<Outcome>, Vec<FileReport>) = reports
        .into_par_iter()
        .map(|report| Outcome::new(crate::fix::fix_selected(report, options, &select)))
        .unzip();
    let write = !args.check && !args.diff;
    if write {
        for o in outcomes.iter_mut().filter(|o| o.changed()) {
            if let Err(e) = crate::fix::write(&o.path, &o.migrated, &o.original) {
                eprintln!(
                    "kestra-lint: error: {}: cannot write the migration: {e}",
                    o.shown
                );
                o.write_error = Some(e.to_string());
                tool_failed = true;
            }
        }
    }
    // The findings across the migrated flows, as `check` adds them. Among the files migrated
    // only: no cross-file rule is a 2.0 incompatibility, so the repository index (a walk of
    // the repository, and a cache write that `--check` must not make) could not change what
    // migrate fixes or reports as blocking.
    workspace.cross_file(&mut reports, &[]);
    for (o, report) in outcomes.iter_mut().zip(&reports) {
        o.block_on(report, include_unsafe);
    }
    for o in &outcomes {
        for note in &o.dropped_notes {
            eprintln!("{note}");
        }
    }
    let printed = match args.output_format {
        _ if args.diff => diffs(&outcomes),
        MigrateFormat::Json => json(&outcomes, write),
        MigrateFormat::Text => text(&outcomes, &args, write),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(printed.as_bytes()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return fail(&format!("cannot write to stdout: {e}"));
        }
    }
    let needs = if write {
        // What is left after writing: a file that could not be written still needs it.
        outcomes
            .iter()
            .any(|o| !o.blocking.is_empty() || o.write_error.is_some())
    } else {
        outcomes.iter().any(Outcome::needs_migrating)
    };
    ExitCode::from(match (tool_failed, needs) {
        (true, _) => 2,
        (false, true) => 1,
        (false, false) => 0,
    })
}

fn fail(message: &str) -> ExitCode {
    eprintln!("kestra-lint: error: {message}");
    ExitCode::from(2)
}

fn diffs(outcomes: &[Outcome]) -> String {
    outcomes
        .iter()
        .filter(|o| o.changed())
        .map(|o| crate::diff::unified(&o.shown, &o.original, &o.migrated))
        .collect()
}

/// `3 × K802, 1 × D001`, most first, then by code.
fn counts<'a>(codes: impl Iterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for c in codes {
        *by.entry(c).or_default() += 1;
    }
    let mut v: Vec<(&str, usize)> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}

fn list(counts: &[(&str, usize)]) -> String {
    counts
        .iter()
        .map(|(c, n)| format!("{n} × {c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, what: &str) -> String {
    match (n, what) {
        (1, _) => format!("1 {what}"),
        (_, "fix") => format!("{n} fixes"),
        _ => format!("{n} {what}s"),
    }
}

fn text(outcomes: &[Outcome], args: &MigrateArgs, write: bool) -> String {
    let mut out = String::new();
    let verb = if write { "migrated" } else { "would migrate" };
    for o in outcomes
        .iter()
        .filter(|o| o.needs_migrating() || !o.dropped.is_empty())
    {
        if o.changed() {
            let by = counts(o.fixes.iter().map(|f| f.code));
            let failed = if o.write_error.is_some() {
                " (not written)"
            } else {
                ""
            };
            out.push_str(&format!(
                "{}: {verb}{failed}: {} ({})\n",
                o.shown,
                plural(o.fixes.len(), "fix"),
                list(&by)
            ));
            let done = if write { "fixed" } else { "would fix" };
            for f in &o.fixes {
                out.push_str(&format!("  {done} {}: {}\n", f.code, f.message));
            }
        } else {
            out.push_str(&format!("{}: nothing fixed\n", o.shown));
        }
        if !o.blocking.is_empty() {
            let by = counts(o.blocking.iter().map(|b| b.0));
            out.push_str(&format!("  still blocks on Kestra 2.0: {}\n", list(&by)));
            for (code, line, col, message) in &o.blocking {
                out.push_str(&format!("  {}:{line}:{col}: {code} {message}\n", o.shown));
            }
        }
    }
    if args.quiet {
        return out;
    }
    let changed = outcomes.iter().filter(|o| o.changed()).count();
    let fixes: usize = outcomes
        .iter()
        .filter(|o| o.changed())
        .map(|o| o.fixes.len())
        .sum();
    let blocking: Vec<&str> = outcomes
        .iter()
        .flat_map(|o| o.blocking.iter().map(|b| b.0))
        .collect();
    let blocked_files = outcomes.iter().filter(|o| !o.blocking.is_empty()).count();
    if changed == 0 && blocking.is_empty() {
        out.push_str(&format!(
            "Nothing to migrate: {} ready for Kestra 2.0.\n",
            plural(outcomes.len(), "flow")
        ));
        return out;
    }
    let head = if write { "Migrated" } else { "Would migrate" };
    out.push_str(&format!(
        "{head} {} of {} with {}.\n",
        plural(changed, "file"),
        plural(outcomes.len(), "flow"),
        plural(fixes, "fix")
    ));
    let unwritten = outcomes.iter().filter(|o| o.write_error.is_some()).count();
    if write && unwritten > 0 {
        out.push_str(&format!(
            "{} could not be written (see the errors above); {} unchanged on disk.\n",
            plural(unwritten, "file"),
            if unwritten == 1 { "it is" } else { "they are" }
        ));
    }
    if !blocking.is_empty() {
        out.push_str(&format!(
            "{} still {} Kestra 2.0: {}.\n",
            plural(blocked_files, "file"),
            if blocked_files == 1 {
                "blocks"
            } else {
                "block"
            },
            list(&counts(blocking.into_iter()))
        ));
    }
    let unsafe_available: usize = outcomes.iter().map(|o| o.unsafe_available).sum();
    if unsafe_available > 0 {
        out.push_str(&format!(
            "{} more with `--unsafe-fixes` (they change behaviour or need review).\n",
            plural(unsafe_available, "finding")
        ));
    }
    out
}

fn json(outcomes: &[Outcome], write: bool) -> String {
    use serde_json::json;
    let files: Vec<serde_json::Value> = outcomes
        .iter()
        .filter(|o| o.needs_migrating() || !o.dropped.is_empty())
        .map(|o| {
            json!({
                "path": o.shown,
                "changed": o.changed(),
                "written": write && o.changed() && o.write_error.is_none(),
                "fixes": o.fixes.iter().map(|f| json!({
                    "code": f.code,
                    "name": f.name,
                    "message": f.message,
                    "applicability": f.applicability,
                    "targets": f.targets,
                })).collect::<Vec<_>>(),
                "dropped": o.dropped.iter().map(|d| json!({
                    "code": d.code,
                    "message": d.message,
                    "reason": d.reason,
                })).collect::<Vec<_>>(),
                "blocking": o.blocking.iter().map(|(code, line, column, message)| json!({
                    "code": code,
                    "line": line,
                    "column": column,
                    "message": message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let changed: Vec<&Outcome> = outcomes.iter().filter(|o| o.changed()).collect();
    let fixes_by_code: BTreeMap<&str, usize> =
        counts(changed.iter().flat_map(|o| o.fixes.iter().map(|f| f.code)))
            .into_iter()
            .collect();
    let blocking_by_code: BTreeMap<&str, usize> =
        counts(outcomes.iter().flat_map(|o| o.blocking.iter().map(|b| b.0)))
            .into_iter()
            .collect();
    let doc = json!({
        "files": files,
        "summary": {
            "flows": outcomes.len(),
            "files_changed": changed.len(),
            "fixes": changed.iter().map(|o| o.fixes.len()).sum::<usize>(),
            "fixes_by_code": fixes_by_code,
            "dropped": outcomes.iter().map(|o| o.dropped.len()).sum::<usize>(),
            "files_blocking": outcomes.iter().filter(|o| !o.blocking.is_empty()).count(),
            "blocking_by_code": blocking_by_code,
        }
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
