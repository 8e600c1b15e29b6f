//! Command-line interface (clap derive) and the `check` run.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::discover;
use crate::engine::FileReport;
use crate::report::{ColorChoice, OutputFormat};
use crate::rules;
use crate::workspace::{FileArgs, Workspace};

#[derive(Debug, Parser)]
#[command(
    name = "kestra-lint",
    version,
    about = "A fast offline linter for Kestra flow files",
    args_override_self = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint flow files and directories.
    Check(CheckArgs),
    /// Migrate flows to Kestra 2.0: apply the fixes of what 2.0 refuses, say what still blocks.
    Migrate(crate::migrate::MigrateArgs),
    /// Show the documentation of a rule, or list every rule.
    Rule(RuleArgs),
    /// Pull a Kestra server's schema, or show which schema is in use.
    #[command(subcommand)]
    Schema(crate::schema_cmd::SchemaCommand),
    /// Run the language server (LSP over stdio) for editors.
    Server(crate::server::ServerArgs),
    /// Only discover, read and YAML-parse files (the floor for benchmarks).
    #[command(hide = true)]
    ParseOnly(CheckArgs),
    /// Time the Pebble parser alone over every string value of the files (for benchmarks).
    #[command(hide = true)]
    BenchPebble(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to lint (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// How to print findings [default: full, or `output-format` from the config].
    #[arg(long, value_enum)]
    pub output_format: Option<OutputFormat>,
    #[command(flatten)]
    pub output: crate::output::OutputArgs,
    #[command(flatten)]
    pub stdin: crate::stdin::StdinArgs,
    /// When to use colours (NO_COLOR, FORCE_COLOR and CLICOLOR_FORCE are honoured in `auto`).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Print findings only, no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Also list the files checked and the YAML files skipped as not flows.
    #[arg(short, long)]
    pub verbose: bool,
    /// Number of worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Exclude paths matching these globs (replaces the default excludes).
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub exclude: Option<Vec<String>>,
    /// Exclude paths matching these globs, on top of the default excludes.
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub extend_exclude: Vec<String>,
    /// Apply excludes to files named on the command line too (for pre-commit).
    #[arg(long)]
    pub force_exclude: bool,
    /// Apply safe fixes to the files (text edits, written atomically), then report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix, also apply unsafe fixes (they may change what the flow does).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change, and write nothing (exit 1 when there
    /// is a diff, 0 when there is none).
    #[arg(long)]
    pub diff: bool,
    /// With --fix, list the fixes applied, per file.
    #[arg(long)]
    pub show_fixes: bool,
    /// Judge K701–K703 against the named files only, not every flow of the repository.
    #[arg(long)]
    pub no_repo_index: bool,
    /// Do not read or write the repository index cache (.kestra-lint-cache/).
    #[arg(long)]
    pub no_cache: bool,
    /// Configuration, rule selection and baseline flags.
    #[command(flatten)]
    pub settings: crate::config::ConfigArgs,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (`K102`) or name (`duplicate-task-id`).
    pub code: Option<String>,
    /// List every rule.
    #[arg(long)]
    pub all: bool,
    /// `text` (Markdown; a table for `--all`) or `json` (for tools).
    #[arg(long, value_enum, default_value = "text")]
    pub output_format: rules::docs::RuleFormat,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Migrate(args) => crate::migrate::run(args),
        Command::Rule(args) => run_rule(args),
        Command::Schema(command) => crate::schema_cmd::run(command),
        Command::Server(args) => crate::server::run(args),
        Command::ParseOnly(args) => run_parse_only(args),
        Command::BenchPebble(args) => run_bench_pebble(args),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("kestra-lint: error: {message}");
    ExitCode::from(2)
}

fn run_check(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    // --- config: resolve settings (file, then flags) ---
    let cwd = std::env::current_dir().unwrap_or_default();
    let settings = match Workspace::settings(&args.settings, &cwd) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let file_args = FileArgs {
        paths: &args.paths,
        exclude: args.exclude.as_deref(),
        extend_exclude: &args.extend_exclude,
        force_exclude: args.force_exclude,
    };
    let patterns = file_args.patterns(&settings);
    if args.settings.show_settings {
        let _ = std::io::stdout().write_all(settings.show(&patterns).as_bytes());
        return ExitCode::SUCCESS;
    }
    let output_format = args
        .output_format
        .or(settings.output_format)
        .unwrap_or(OutputFormat::Full);
    let fail_level = settings.fail_on.map_or(Severity::Error, |f| f.threshold());
    // --- end config ---
    crate::workspace::use_threads(args.threads);
    let excludes = match discover::build_excludes(&patterns) {
        Ok(set) => set,
        Err(e) => return fail(&e),
    };
    let paths = file_args.roots();
    let stdin = match crate::stdin::requested(&args.paths, &args.stdin) {
        Ok(stdin) => stdin,
        Err(e) => return fail(&e),
    };
    let mut found = if stdin {
        discover::Discovered::default()
    } else {
        file_args.discover(&excludes)
    };
    let mut tool_failed = !found.errors.is_empty();

    // Each file's closest config (nested configs, as ruff finds them).
    let mut config_for = found.files.clone();
    config_for.extend(args.stdin.stdin_filename.clone());
    let workspace = match Workspace::open(&args.settings, &cwd, settings, &config_for) {
        Ok(w) => w,
        Err(e) => return fail(&e),
    };
    let options = &workspace.options;
    workspace.retain_included(&mut found.files, &file_args);
    let (mut reports, unreadable) = workspace.lint_files(&found.files);
    tool_failed |= unreadable;
    let fixing = args.fix || args.diff;
    let mut fixes = FixLog::default();
    let lint_failed = tool_failed;
    let mut unwritten = 0;
    if fixing {
        let mut after = Vec::with_capacity(reports.len());
        for report in reports {
            let f = crate::fix::fix_in_memory(report, options, args.unsafe_fixes);
            f.report_dropped();
            if !f.changed() {
                after.push(f.report);
                continue;
            }
            let shown = f.report.source.display_path();
            if args.diff {
                fixes.diff(&shown, &f);
                after.extend(f.before);
                continue;
            }
            match f.write() {
                Ok(()) => {
                    fixes.record(&shown, &f.applied);
                    after.push(f.report);
                }
                Err(e) => {
                    eprintln!("kestra-lint: error: {shown}: cannot write fixes: {e}");
                    tool_failed = true;
                    unwritten += 1;
                    after.extend(f.before);
                }
            }
        }
        reports = after;
    }
    // With --fix, the fixed stdin text goes to stdout and the report to stderr.
    let mut stdin_out: Option<Vec<u8>> = None;
    if stdin && fixing {
        match crate::stdin::read_and_lint(&args.stdin, &excludes, args.force_exclude, options) {
            Ok((report, input)) => {
                let mut out = input;
                if let Some(report) = report {
                    let f = crate::fix::fix_in_memory(report, options, args.unsafe_fixes);
                    f.report_dropped();
                    let shown = f.report.source.display_path();
                    if f.changed() && args.diff {
                        fixes.diff(&shown, &f);
                    } else if f.changed() {
                        fixes.record(&shown, &f.applied);
                        out = f.report.source.text.clone().into_bytes();
                    }
                    reports.push(f.report);
                }
                stdin_out = Some(out);
            }
            Err(e) => return fail(&format!("cannot read stdin: {e}")),
        }
    } else if stdin {
        match crate::stdin::lint(&args.stdin, &excludes, args.force_exclude, options) {
            Ok(report) => reports.extend(report),
            Err(e) => return fail(&format!("cannot read stdin: {e}")),
        }
    }
    if args.diff {
        return finish_diff(&args, &fixes, tool_failed);
    }
    if let Some(out) = &stdin_out {
        let _ = std::io::stdout().write_all(out);
    }
    let fixed = fixes.count;

    let repo = if args.no_repo_index || !workspace.cross_file_rules_on() {
        Vec::new()
    } else {
        let walked = if stdin { &[][..] } else { &paths[..] };
        workspace.repo_flows(&reports, walked, &excludes, !args.no_cache)
    };
    workspace.cross_file(&mut reports, &repo);

    // --- config: baselines ---
    if let Some(path) = &args.settings.write_baseline {
        let (text, count) = crate::baseline::render(&reports, &cwd);
        if let Err(e) = crate::output::write_atomically(path, text.as_bytes()) {
            return fail(&format!("{}: cannot write baseline: {e}", path.display()));
        }
        println!(
            "Wrote {} to {}.",
            plural(count, "finding"),
            crate::source::display_path(path)
        );
        return ExitCode::from(if tool_failed { 2 } else { 0 });
    }
    let mut baseline_note = None;
    if let Some(path) = &args.settings.baseline {
        match crate::baseline::Baseline::load(path) {
            Ok(b) => baseline_note = Some(b.apply(&mut reports, &cwd)),
            Err(e) => return fail(&format!("{}: {e}", crate::source::display_path(path))),
        }
    }
    // --- end config ---

    let flows = reports.iter().filter(|r| r.is_flow).count();
    if args.verbose {
        for r in &reports {
            let what = if r.is_flow {
                "checked"
            } else {
                "skipped (not a flow)"
            };
            eprintln!("{what}: {}", r.source.display_path());
        }
        for (path, why) in &found.skipped {
            eprintln!("skipped ({why}): {}", crate::source::display_path(path));
        }
    }
    let count = |sev: Severity| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| d.severity == sev)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let summary = (!args.quiet).then(|| {
        let files_with_findings = reports.iter().filter(|r| !r.diagnostics.is_empty()).count();
        let elapsed = started.elapsed().as_millis();
        let mut summary = summary_line(errors, warnings, files_with_findings, flows, elapsed);
        if lint_failed {
            // Never a bare "All checks passed" when some paths could not be read.
            summary = summary.replace("All checks passed", "No findings in the files read");
            summary.push_str("\nSome paths could not be linted: see the errors above (exit 2).");
        }
        if unwritten > 0 {
            summary.push_str(&format!(
                "\nThe fixes of {} were not written: see the errors above (exit 2).",
                plural(unwritten, "file")
            ));
        }
        if fixed > 0 && args.show_fixes {
            summary.push('\n');
            summary.push_str(fixes.listing().trim_end());
        } else if fixed > 0 {
            summary.push_str(&format!("\nFixed {}.", plural(fixed, "finding")));
        }
        let fixable = reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == crate::diagnostic::Applicability::Safe)
            })
            .count();
        if fixable > 0 && !args.fix {
            summary.push_str(&format!(
                "\n{} fixable with `--fix`.",
                plural(fixable, "finding")
            ));
        }
        if let Some(note) = only_2_0_note(&reports, &options.target) {
            summary.push_str(&note);
        }
        if let Some(b) = &baseline_note {
            let entries = if b.stale == 1 { "entry" } else { "entries" };
            summary.push_str(&format!(
                "\nBaseline: {} hidden, {} stale {entries}.",
                plural(b.hidden, "finding"),
                b.stale
            ));
        }
        summary
    });
    if args.quiet && args.show_fixes && fixed > 0 {
        // Asked for explicitly: --quiet drops the summary, not this list.
        eprint!("{}", fixes.listing());
    }
    let style = crate::output::style(&args.output, args.color);
    let ctx = crate::report::RenderContext {
        unsafe_fixes: args.unsafe_fixes,
        ..crate::report::RenderContext::new(style, fail_level)
    };
    let emitted = crate::output::emit(
        &args.output,
        output_format,
        &reports,
        &ctx,
        summary.as_deref(),
        stdin_out.is_some(),
    );
    if let Err(e) = emitted {
        return fail(&e);
    }
    let code = crate::output::exit_code(&args.output, &reports, tool_failed, fail_level);
    // The process ends here: freeing thousands of syntax trees one by one would only delay it.
    std::mem::forget(reports);
    code
}

/// What `--fix` fixed (for `--show-fixes`) or `--diff` would fix, per file.
#[derive(Default)]
struct FixLog {
    count: usize,
    files: Vec<(String, Vec<(&'static str, &'static str)>)>,
    diffs: String,
}

impl FixLog {
    fn record(&mut self, shown: &str, applied: &[(&'static str, &'static str)]) {
        self.count += applied.len();
        self.files.push((shown.to_string(), applied.to_vec()));
    }

    fn diff(&mut self, shown: &str, f: &crate::fix::Fixed) {
        self.count += f.applied.len();
        self.diffs.push_str(&crate::diff::unified(
            shown,
            f.original(),
            &f.report.source.text,
        ));
    }

    /// `Fixed N findings:`, then each file with how many of each rule, as ruff lists them.
    fn listing(&self) -> String {
        let mut out = format!("Fixed {}:\n", plural(self.count, "finding"));
        for (file, applied) in &self.files {
            out.push_str(&format!("- {file}:\n"));
            let mut counts: std::collections::BTreeMap<_, usize> = Default::default();
            for fix in applied {
                *counts.entry(*fix).or_default() += 1;
            }
            for ((code, name), n) in counts {
                out.push_str(&format!("    {n} × {code} ({name})\n"));
            }
        }
        out
    }
}

/// `--diff`: the diffs on stdout (or `--output-file`), how many fixes on stderr; exit 1 when
/// anything would change.
fn finish_diff(args: &CheckArgs, fixes: &FixLog, tool_failed: bool) -> ExitCode {
    let written = match &args.output.output_file {
        Some(path) => crate::output::write_atomically(path, fixes.diffs.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(fixes.diffs.as_bytes()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write to stdout: {e}"))
                }
                _ => Ok(()),
            }
        }
    };
    if let Err(e) = written {
        return fail(&e);
    }
    if !args.quiet {
        if fixes.count > 0 {
            eprintln!("Would fix {}.", plural(fixes.count, "finding"));
        } else {
            eprintln!("No fixes available.");
        }
    }
    ExitCode::from(match (tool_failed, fixes.diffs.is_empty()) {
        (true, _) => 2,
        (false, false) => 1,
        (false, true) => 0,
    })
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// On the default target, errors that only Kestra 2.0 refuses get one line saying how to lint
/// for a 1.3 server instead.
fn only_2_0_note(reports: &[FileReport], target: &crate::config::ResolvedTarget) -> Option<String> {
    if target.origin != crate::config::TargetOrigin::Default || !target.target.is_2_0() {
        return None;
    }
    let n = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| rules::meta_of(d.code).is_some_and(|m| m.versions.refused_only_by_2_0()))
        .count();
    (n > 0).then(|| {
        format!(
            "\n{} only refused by Kestra 2.0, the default target; for a 1.3 server, use `--target-version 1.3` (or `target-version = \"1.3\"` in kestra-lint.toml).",
            if n == 1 { "1 error is".to_string() } else { format!("{n} errors are") }
        )
    })
}

fn summary_line(errors: usize, warnings: usize, files: usize, flows: usize, ms: u128) -> String {
    let checked = format!("{} checked in {ms} ms", plural(flows, "flow"));
    if errors == 0 && warnings == 0 {
        return format!("All checks passed ({checked}).");
    }
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    format!(
        "Found {} in {} ({checked}).",
        parts.join(" and "),
        plural(files, "file")
    )
}

fn run_rule(args: RuleArgs) -> ExitCode {
    use rules::docs::{self, RuleFormat};
    let json = args.output_format == RuleFormat::Json;
    let out = match (&args.code, args.all) {
        (Some(code), false) => match rules::find(code) {
            Some(meta) if json => docs::json(&docs::json_value(meta)),
            Some(meta) => match rules::successor(code) {
                Some(new) => format!(
                    "{} is a retired code: its check is now {new}, which it stands for wherever a code is accepted.\n\n{}",
                    code.to_ascii_uppercase(),
                    docs::text(meta)
                ),
                None => docs::text(meta),
            },
            None => {
                return fail(&format!(
                    "unknown rule `{code}`; run `kestra-lint rule --all`"
                ))
            }
        },
        (Some(_), true) => return fail("give a rule code or `--all`, not both"),
        (None, _) => {
            let metas = rules::all().iter().map(|r| r.meta());
            if json {
                docs::json(&serde_json::Value::Array(
                    metas.map(docs::json_value).collect(),
                ))
            } else {
                docs::list(metas)
            }
        }
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

fn run_parse_only(args: CheckArgs) -> ExitCode {
    let excludes = match discover::build_excludes(&[]) {
        Ok(set) => set,
        Err(e) => return fail(&e),
    };
    let found = discover::discover(&args.paths, &excludes, false);
    let parsed = found
        .files
        .par_iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| crate::yaml::parse(&text).root.is_some())
        .filter(|ok| *ok)
        .count();
    println!("{parsed} of {} files parsed", found.files.len());
    ExitCode::SUCCESS
}

fn run_bench_pebble(args: CheckArgs) -> ExitCode {
    let excludes = match discover::build_excludes(&[]) {
        Ok(set) => set,
        Err(e) => return fail(&e),
    };
    let found = discover::discover(&args.paths, &excludes, false);
    let mut strings = Vec::new();
    for path in &found.files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Some(root) = crate::yaml::parse(&text).root else {
            continue;
        };
        let mut stack = vec![&root];
        while let Some(node) = stack.pop() {
            match &node.kind {
                crate::yaml::NodeKind::Map(entries) => {
                    stack.extend(entries.iter().map(|e| &e.value))
                }
                crate::yaml::NodeKind::Seq(items) => stack.extend(items.iter()),
                crate::yaml::NodeKind::Scalar(s) => strings.push(s.text.clone()),
                crate::yaml::NodeKind::Alias(_) => {}
            }
        }
    }
    // Best of 5, single thread: the parser's own cost, as Kestra would render each value.
    let mut best = std::time::Duration::MAX;
    let (mut with_delimiters, mut errors) = (0, 0);
    for _ in 0..5 {
        let started = Instant::now();
        (with_delimiters, errors) = (0, 0);
        for s in &strings {
            if crate::pebble::has_delimiters(s) {
                with_delimiters += 1;
                errors += crate::pebble::parse_template(s).errors.len();
            }
        }
        best = best.min(started.elapsed());
    }
    println!(
        "{} strings ({with_delimiters} with Pebble delimiters, {errors} syntax errors) parsed in {:.2} ms",
        strings.len(),
        best.as_secs_f64() * 1000.0
    );
    ExitCode::SUCCESS
}
