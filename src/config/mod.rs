//! Settings: `kestra-lint.toml` / `.kestra-lint.toml` / `[tool.kestra-lint]` in pyproject.toml,
//! found by walking up from each linted file (and from the current directory for the run's own
//! settings) to the repository root (closest wins, see [`per_file`]), or `--config PATH`, or none
//! (`--isolated`), then overridden by command-line flags. Rules never see selection or severities: the engine
//! applies them after the rules ran (see [`crate::suppress::finish`]).

mod args;
mod file;
pub mod per_file;
pub mod selection;
mod show;
mod version;
mod version_req;

use std::fmt;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

pub use args::ConfigArgs;
pub use selection::{Layer, RuleSelection};
pub use version::{KestraVersion, ResolvedTarget, Target, TargetOrigin};

use crate::diagnostic::Severity;
use crate::report::OutputFormat;
use crate::rules::RuleMeta;

/// Config file names, in order of preference within one folder.
pub const CONFIG_FILES: &[&str] = &["kestra-lint.toml", ".kestra-lint.toml"];

/// A configuration problem: exit code 2, with the file and (when known) line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = crate::source::display_path(&self.path);
        match self.at {
            Some((line, col)) => write!(f, "{path}:{line}:{col}: {}", self.message),
            None => write!(f, "{path}: {}", self.message),
        }
    }
}

/// The lowest severity that makes the run exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

/// The Kestra edition the flows run on (`edition`, `--edition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Edition {
    /// The open-source server: Enterprise-only features are refused.
    Oss,
    /// Enterprise Edition (or Cloud): Enterprise features are fine.
    Ee,
}

impl Edition {
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::Oss => "oss",
            Edition::Ee => "ee",
        }
    }
}

/// `per-file-ignores`: codes turned off in files matching a glob.
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub pattern: String,
    pub matcher: GlobSet,
    pub codes: Vec<String>,
}

/// `[lint.policy]`: what the policy rules (B002–B004) check against.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Allowed namespace patterns (`company.*`).
    pub namespaces: Vec<String>,
    pub required_labels: Vec<String>,
    /// Absolute folder under which flows live as `<namespace>/<id>.yml`.
    pub flows_root: Option<PathBuf>,
    /// The current directory, to place relative file paths.
    pub cwd: PathBuf,
}

impl Policy {
    /// `path` (as linted) relative to `flows_root`, with `/`, when it lies under it.
    pub fn path_in_flows_root(&self, path: &Path) -> Option<String> {
        let root = self.flows_root.as_ref()?;
        let abs = absolute(&self.cwd, path);
        let rel = abs.strip_prefix(normalize(root)).ok()?;
        Some(crate::source::display_path(rel))
    }
}

/// Everything resolved for one run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The config file used, as the user should see it; `None` when there is none.
    pub config_file: Option<PathBuf>,
    /// The absolute folder that globs and paths in the config are relative to.
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub rules: RuleSelection,
    pub per_file_ignores: Vec<PerFileIgnore>,
    pub fail_on: Option<FailOn>,
    /// Replaces the default excludes when set.
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    /// A pulled Kestra schema (absolute).
    pub schema: Option<PathBuf>,
    pub target_version: Option<KestraVersion>,
    /// `target_version` came from `--target-version` (not the config file).
    pub target_version_from_flag: bool,
    pub edition: Option<Edition>,
    /// `[lint] recursive-rendering`: the server renders flow variables recursively (an old
    /// server option), so every variable's text is checked as Pebble.
    pub recursive_rendering: bool,
    pub output_format: Option<OutputFormat>,
    pub policy: Policy,
    /// `max-findings-per-rule` and `max-findings-per-file`.
    pub limits: crate::limits::Limits,
}

impl Settings {
    /// Settings from a config file's text (also handy in tests).
    pub fn from_toml(path: &Path, text: &str, cwd: &Path) -> Result<Self, ConfigError> {
        let dir = file::dir_of(path, cwd);
        let mut settings = file::parse(path, text, &dir)?;
        settings.set_cwd(cwd);
        Ok(settings)
    }

    fn set_cwd(&mut self, cwd: &Path) {
        self.cwd = cwd.to_path_buf();
        self.policy.cwd = cwd.to_path_buf();
        if self.root.as_os_str().is_empty() {
            self.root = cwd.to_path_buf();
        }
    }

    /// Policies that are configured turn their rule on (an explicit `ignore` still wins).
    fn imply_policy_rules(&mut self) {
        let mut implied = Vec::new();
        if !self.policy.namespaces.is_empty() {
            implied.push("B002");
        }
        if !self.policy.required_labels.is_empty() {
            implied.push("B003");
        }
        if self.policy.flows_root.is_some() {
            implied.push("B004");
        }
        self.rules.implied = implied;
    }

    /// The Kestra release line to lint for: `--target-version`, the config's `target-version`,
    /// the Kestra version recorded with the schema in use (explicit or pinned), the default.
    pub fn resolved_target(&self) -> ResolvedTarget {
        // Settings built in memory (tests, no working directory) never look for a pinned file.
        let schema = self.schema.clone().or_else(|| {
            (!self.cwd.as_os_str().is_empty())
                .then(|| crate::schema::pinned::find(&self.cwd))
                .flatten()
        });
        let pinned = schema.and_then(|path| {
            let version = crate::schema::pinned::read_meta(&path)?.kestra_version?;
            Some((crate::source::relative_to(&path, &self.cwd), version))
        });
        ResolvedTarget::resolve(
            self.target_version,
            self.target_version_from_flag,
            self.config_file.as_deref(),
            pinned,
        )
    }

    /// Apply command-line flags on top of the file.
    pub fn apply_cli(&mut self, args: &ConfigArgs) -> Result<(), String> {
        let cli_selectors = |codes: &[String], flag: &str| -> Result<Vec<String>, String> {
            codes
                .iter()
                .map(|c| {
                    let n = selection::normalize(c);
                    if selection::is_known_selector(&n) {
                        Ok(n)
                    } else {
                        Err(format!("unknown rule code `{c}` in `--{flag}`"))
                    }
                })
                .collect()
        };
        let layer = Layer {
            select: match &args.select {
                Some(codes) => Some(cli_selectors(codes, "select")?),
                None => None,
            },
            extend_select: cli_selectors(&args.extend_select, "extend-select")?,
            ignore: cli_selectors(&args.ignore, "ignore")?,
        };
        if layer != Layer::default() {
            self.rules.layers.push(layer);
        }
        if let Some(f) = args.fail_on {
            self.fail_on = Some(f);
        }
        if let Some(v) = &args.target_version {
            self.target_version = Some(version::parse_target_version(v)?);
            self.target_version_from_flag = true;
        }
        if let Some(e) = args.edition {
            self.edition = Some(e);
        }
        if let Some(path) = &args.schema {
            self.schema = Some(path.clone());
        }
        if let Some(n) = args.max_findings_per_rule {
            self.limits.per_rule = n;
        }
        if let Some(n) = args.max_findings_per_file {
            self.limits.per_file = n;
        }
        Ok(())
    }

    /// Is `meta` on for the file at `path` (selection, severity `off`, per-file ignores)?
    pub fn rule_filter(&self, path: &Path) -> RuleFilter<'_> {
        let ignored = if self.per_file_ignores.is_empty() {
            Vec::new()
        } else {
            let abs = absolute(&self.cwd, path);
            let rel = abs.strip_prefix(normalize(&self.root)).unwrap_or(&abs);
            self.per_file_ignores
                .iter()
                .filter(|p| p.matcher.is_match(rel))
                .flat_map(|p| p.codes.iter().map(String::as_str))
                .collect()
        };
        RuleFilter {
            settings: self,
            ignored,
        }
    }

    /// Exclude globs for discovery: CLI `--exclude` replaces the file's `exclude`, which replaces
    /// the defaults; `extend-exclude` from both adds. Patterns from the file are rebased from
    /// the config folder to the current directory.
    pub fn excludes(&self, cli_exclude: Option<&[String]>, cli_extend: &[String]) -> Vec<String> {
        let mut out: Vec<String> = match (cli_exclude, &self.exclude) {
            (Some(p), _) => p.to_vec(),
            (None, Some(p)) => p.iter().flat_map(|p| self.rebase(p)).collect(),
            (None, None) => crate::discover::DEFAULT_EXCLUDES
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        out.extend(self.extend_exclude.iter().flat_map(|p| self.rebase(p)));
        out.extend(cli_extend.iter().cloned());
        out
    }

    /// This config's own `exclude`/`extend-exclude`, relative to its folder; `None` if it has
    /// none. For nested configs: discovery applied the run's excludes already.
    pub fn own_excludes(&self) -> Option<GlobSet> {
        let mut patterns = self.exclude.clone().unwrap_or_default();
        patterns.extend(self.extend_exclude.iter().cloned());
        if patterns.is_empty() {
            return None;
        }
        compile_globs(&patterns).ok()
    }

    /// Does `excludes` (from [`Settings::own_excludes`]) match `path`, taken from `root`?
    pub fn is_excluded(&self, excludes: &GlobSet, path: &Path) -> bool {
        let abs = absolute(&self.cwd, path);
        abs.strip_prefix(normalize(&self.root))
            .is_ok_and(|rel| excludes.is_match(rel))
    }

    /// A config pattern relative to `root`, as patterns relative to the current directory.
    fn rebase(&self, pattern: &str) -> Vec<String> {
        let trimmed = pattern.trim_start_matches("./");
        if !trimmed.trim_end_matches('/').contains('/') || self.root == self.cwd {
            return vec![pattern.to_string()];
        }
        let (root, cwd) = (normalize(&self.root), normalize(&self.cwd));
        if let Ok(below) = cwd.strip_prefix(&root) {
            // Running in a subfolder: `flows/legacy` is `legacy` from `flows`, and
            // `../legacy`-style paths given on the command line match the long form.
            let sub = crate::source::display_path(below);
            let ups = "../".repeat(below.components().count());
            let mut out = vec![format!("{ups}{trimmed}")];
            if let Some(rest) = trimmed.strip_prefix(&format!("{sub}/")) {
                out.push(rest.to_string());
            }
            return out;
        }
        if let Ok(above) = root.strip_prefix(&cwd) {
            return vec![format!("{}/{trimmed}", crate::source::display_path(above))];
        }
        vec![pattern.to_string()]
    }

    /// The text `--show-settings` prints, with the final exclude list.
    pub fn show(&self, excludes: &[String]) -> String {
        show::render(self, excludes)
    }
}

/// Which rules apply to one file.
pub struct RuleFilter<'a> {
    settings: &'a Settings,
    ignored: Vec<&'a str>,
}

impl RuleFilter<'_> {
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        self.settings.rules.is_enabled(meta)
            && !self
                .ignored
                .iter()
                .any(|sel| selection::matches(sel, meta.code))
    }

    /// The severity a finding is reported at: a configured severity for its code, else the one
    /// the rule gave it (rules whose findings depend on `target-version` raise or lower their
    /// default).
    pub fn finding_severity(&self, meta: &RuleMeta, produced: Severity) -> Severity {
        self.settings
            .rules
            .severity_of(meta.code, produced)
            .unwrap_or(produced)
    }

    /// The severity a finding of `meta` is reported at.
    pub fn severity(&self, meta: &RuleMeta) -> Severity {
        self.settings
            .rules
            .severity_of(meta.code, meta.severity)
            .unwrap_or(meta.severity)
    }
}

/// The config file of one folder: `kestra-lint.toml`, `.kestra-lint.toml`, or a
/// `pyproject.toml` that has a `[tool.kestra-lint]` table, in that order.
pub fn config_in(dir: &Path) -> Option<PathBuf> {
    for name in CONFIG_FILES {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return Some(candidate);
        }
    }
    let pyproject = dir.join("pyproject.toml");
    let text = std::fs::read_to_string(&pyproject).ok()?;
    file::pyproject_has_table(&text).then_some(pyproject)
}

/// Find the config file for `start`: the closest config file (see [`config_in`]) walking up,
/// stopping at the repository root (a folder with `.git`).
pub fn find_config(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        if let Some(found) = config_in(dir) {
            return Some(found);
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Read the config file `abs` (shown to the user as `shown`), with the flags on top.
fn load(shown: &Path, abs: &Path, cwd: &Path, args: &ConfigArgs) -> Result<Settings, String> {
    let text = std::fs::read_to_string(abs).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            "no such file".to_string()
        } else {
            e.to_string()
        };
        format!(
            "{}: cannot read config: {why}",
            crate::source::display_path(shown)
        )
    })?;
    let mut s = Settings::from_toml(shown, &text, cwd).map_err(|e| e.to_string())?;
    s.root = file::dir_of(abs, cwd);
    s.apply_cli(args)?;
    Ok(s)
}

/// Resolve the settings for a run started in `cwd` (absolute).
pub fn resolve(args: &ConfigArgs, cwd: &Path) -> Result<Settings, String> {
    let found = if args.isolated {
        None
    } else if let Some(path) = &args.config {
        Some((path.clone(), absolute(cwd, path)))
    } else {
        find_config(cwd).map(|abs| (shown_path(cwd, &abs), abs))
    };
    match found {
        None => {
            let mut s = Settings::default();
            s.set_cwd(cwd);
            s.apply_cli(args)?;
            Ok(s)
        }
        Some((shown, abs)) => load(&shown, &abs, cwd, args),
    }
}

/// A found config path as the user should see it: relative to `cwd` (`../kestra-lint.toml`).
fn shown_path(cwd: &Path, abs: &Path) -> PathBuf {
    let Some(dir) = abs.parent() else {
        return abs.to_path_buf();
    };
    let name = abs.file_name().unwrap_or_default();
    match cwd.strip_prefix(dir) {
        Ok(below) => {
            let mut p = PathBuf::new();
            for _ in below.components() {
                p.push("..");
            }
            p.join(name)
        }
        Err(_) => abs.to_path_buf(),
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        normalize(path)
    } else {
        normalize(&cwd.join(path))
    }
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Compile globs as the excludes are: without `/` a name at any depth, with `/` from the root;
/// a folder matches everything below it.
pub(crate) fn compile_globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let base = pattern.trim_end_matches('/').trim_start_matches("./");
        let variants = if base.contains('/') {
            vec![base.to_string(), format!("{base}/**")]
        } else {
            vec![format!("**/{base}"), format!("**/{base}/**")]
        };
        for v in variants {
            builder.add(Glob::new(&v).map_err(|e| e.kind().to_string())?);
        }
    }
    builder.build().map_err(|e| e.to_string())
}

fn file_matcher(pattern: &str) -> Result<GlobSet, String> {
    compile_globs(&[pattern.to_string()])
}

#[cfg(test)]
mod tests;
