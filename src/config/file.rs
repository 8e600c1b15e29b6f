//! Reading `kestra-lint.toml`: serde structs that refuse unknown keys, then checks that need the
//! rest of the program (rule codes, globs, versions), each error pointing at a line of the file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Deserialize;
use toml::Spanned;

use super::selection::{self, Layer};
use super::{ConfigError, FailOn, PerFileIgnore, Settings};
use crate::diagnostic::Severity;
use crate::report::OutputFormat;

type Codes = Vec<Spanned<String>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    /// A config file whose settings this one starts from (and overrides).
    extend: Option<Spanned<String>>,
    /// Version specifiers (`>=0.1`, `>=0.1,<0.3`, `==0.1.0`) the running kestra-lint must meet.
    required_version: Option<Spanned<String>>,
    lint: Option<RawLint>,
    exclude: Option<Codes>,
    extend_exclude: Option<Codes>,
    schema: Option<Spanned<String>>,
    target_version: Option<Spanned<String>>,
    edition: Option<Spanned<String>>,
    output_format: Option<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    max_findings_per_rule: Option<usize>,
    max_findings_per_file: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLint {
    select: Option<Codes>,
    extend_select: Option<Codes>,
    ignore: Option<Codes>,
    per_file_ignores: Option<BTreeMap<String, Spanned<Codes>>>,
    severity: Option<BTreeMap<String, Spanned<String>>>,
    policy: Option<RawPolicy>,
    recursive_rendering: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPolicy {
    namespaces: Option<Codes>,
    required_labels: Option<Codes>,
    flows_root: Option<Spanned<String>>,
}

/// Where a byte offset of the file is, for messages.
struct Located<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Located<'_> {
    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> ConfigError {
        let at = span.map(|s| {
            let start = s.start.min(self.text.len());
            let before = &self.text[..start];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            (line, column)
        });
        ConfigError {
            path: self.path.to_path_buf(),
            at,
            message: message.into(),
        }
    }

    fn selectors(&self, codes: Option<Codes>, what: &str) -> Result<Vec<String>, ConfigError> {
        codes
            .unwrap_or_default()
            .into_iter()
            .map(|c| self.selector(&c, what))
            .collect()
    }

    fn selector(&self, code: &Spanned<String>, what: &str) -> Result<String, ConfigError> {
        let norm = selection::normalize(code.get_ref());
        if selection::is_known_selector(&norm) {
            Ok(norm)
        } else {
            Err(self.error(
                Some(code.span()),
                format!(
                    "unknown rule code `{}` in `{what}`; run `kestra-lint rule --all` for the list",
                    code.get_ref()
                ),
            ))
        }
    }

    fn glob(&self, pattern: &Spanned<String>, key: &str) -> Result<String, ConfigError> {
        super::compile_globs(std::slice::from_ref(pattern.get_ref()))
            .map(|_| pattern.get_ref().clone())
            .map_err(|e| self.error(Some(pattern.span()), format!("bad glob in `{key}`: {e}")))
    }
}

/// `pyproject.toml`, of which only `[tool.kestra-lint]` is read (other tables are not ours).
#[derive(Debug, Default, Deserialize)]
struct RawPyproject {
    tool: Option<RawTools>,
}

#[derive(Debug, Default, Deserialize)]
struct RawTools {
    #[serde(rename = "kestra-lint")]
    kestra_lint: Option<RawConfig>,
}

/// Does this `pyproject.toml` text configure kestra-lint? (A cheap test for discovery; a file
/// that says so but is malformed is then reported by [`parse`].)
pub(super) fn pyproject_has_table(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("[tool.kestra-lint]") || l.starts_with("[tool.kestra-lint.")
    })
}

/// How deep `extend` chains may go (a cycle is reported before that).
const MAX_EXTEND_DEPTH: usize = 16;

/// Parse a config file's text (`kestra-lint.toml`, or `[tool.kestra-lint]` of a
/// `pyproject.toml`). `dir` is the absolute folder relative paths are resolved from.
pub(super) fn parse(path: &Path, text: &str, dir: &Path) -> Result<Settings, ConfigError> {
    parse_chain(path, text, dir, &mut Vec::new())
}

fn is_pyproject(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "pyproject.toml")
}

/// [`parse`], following `extend`; `chain` holds the files already being read (cycles).
fn parse_chain(
    path: &Path,
    text: &str,
    dir: &Path,
    chain: &mut Vec<PathBuf>,
) -> Result<Settings, ConfigError> {
    let loc = Located { path, text };
    let raw: RawConfig = if is_pyproject(path) {
        let py: RawPyproject =
            toml::from_str(text).map_err(|e| loc.error(e.span(), e.message().trim()))?;
        py.tool.and_then(|t| t.kestra_lint).unwrap_or_default()
    } else {
        toml::from_str(text).map_err(|e| loc.error(e.span(), e.message().trim()))?
    };
    if let Some(spec) = &raw.required_version {
        super::version_req::check(spec.get_ref(), env!("CARGO_PKG_VERSION"))
            .map_err(|e| loc.error(Some(spec.span()), e))?;
    }
    let base = match &raw.extend {
        None => None,
        Some(target) => Some(read_base(&loc, target, dir, chain)?),
    };
    let child = from_raw(&loc, raw, dir)?;
    Ok(match base {
        Some(base) => merge(base, child),
        None => child,
    })
}

/// The settings of the file an `extend` names, relative to the extending file's folder.
fn read_base(
    loc: &Located<'_>,
    target: &Spanned<String>,
    dir: &Path,
    chain: &mut Vec<PathBuf>,
) -> Result<Settings, ConfigError> {
    let abs = super::absolute(dir, Path::new(target.get_ref()));
    let me = super::absolute(dir, loc.path);
    if chain.is_empty() {
        chain.push(me);
    }
    if chain.contains(&abs) || chain.len() > MAX_EXTEND_DEPTH {
        return Err(loc.error(
            Some(target.span()),
            format!("`extend` cycle: {} extends itself", target.get_ref()),
        ));
    }
    let text = std::fs::read_to_string(&abs).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            "no such file".to_string()
        } else {
            e.to_string()
        };
        loc.error(
            Some(target.span()),
            format!("cannot read `extend` file {}: {why}", target.get_ref()),
        )
    })?;
    chain.push(abs.clone());
    let base_dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let base = parse_chain(&abs, &text, &base_dir, chain);
    chain.pop();
    base
}

/// `child` on top of `base`: every key the child sets wins; selections, severities and
/// per-file ignores stack (the child's last, so it wins ties); globs are matched from the
/// child's folder.
fn merge(base: Settings, child: Settings) -> Settings {
    let mut out = child;
    let mut layers = base.rules.layers;
    layers.append(&mut out.rules.layers);
    out.rules.layers = layers;
    let mut severity = base.rules.severity;
    severity.append(&mut out.rules.severity);
    out.rules.severity = severity;
    let mut ignores = base.per_file_ignores;
    ignores.append(&mut out.per_file_ignores);
    out.per_file_ignores = ignores;
    out.exclude = out.exclude.or(base.exclude);
    let mut extend_exclude = base.extend_exclude;
    extend_exclude.append(&mut out.extend_exclude);
    out.extend_exclude = extend_exclude;
    out.schema = out.schema.or(base.schema);
    out.target_version = out.target_version.or(base.target_version);
    out.output_format = out.output_format.or(base.output_format);
    out.fail_on = out.fail_on.or(base.fail_on);
    if out.policy.namespaces.is_empty() {
        out.policy.namespaces = base.policy.namespaces;
    }
    if out.policy.required_labels.is_empty() {
        out.policy.required_labels = base.policy.required_labels;
    }
    out.policy.flows_root = out.policy.flows_root.or(base.policy.flows_root);
    out.imply_policy_rules();
    out
}

fn from_raw(loc: &Located<'_>, raw: RawConfig, dir: &Path) -> Result<Settings, ConfigError> {
    let path = loc.path;
    let mut settings = Settings {
        config_file: Some(path.to_path_buf()),
        root: dir.to_path_buf(),
        ..Settings::default()
    };

    let lint = raw.lint.unwrap_or_default();
    settings.rules.layers.push(Layer {
        select: match lint.select {
            Some(codes) => Some(loc.selectors(Some(codes), "select")?),
            None => None,
        },
        extend_select: loc.selectors(lint.extend_select, "extend-select")?,
        ignore: loc.selectors(lint.ignore, "ignore")?,
    });
    for (pattern, codes) in lint.per_file_ignores.unwrap_or_default() {
        let span = codes.span();
        let matcher = super::file_matcher(&pattern).map_err(|e| {
            loc.error(
                Some(span.clone()),
                format!("bad glob `{pattern}` in `per-file-ignores`: {e}"),
            )
        })?;
        let codes = loc.selectors(Some(codes.into_inner()), "per-file-ignores")?;
        settings.per_file_ignores.push(PerFileIgnore {
            pattern,
            matcher,
            codes,
        });
    }
    for (code, level) in lint.severity.unwrap_or_default() {
        let span = level.span();
        let norm = selection::normalize(&code);
        if !selection::is_known_selector(&norm) {
            return Err(loc.error(
                Some(span),
                format!("unknown rule code `{code}` in `[lint.severity]`"),
            ));
        }
        let sev = match level.get_ref().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "off" => None,
            other => {
                return Err(loc.error(
                    Some(span),
                    format!(
                    "invalid severity `{other}` for `{code}`; expected error, warning, info or off"
                ),
                ))
            }
        };
        settings.rules.severity.push((norm, sev));
    }

    settings.recursive_rendering = lint.recursive_rendering.unwrap_or(false);
    let policy = lint.policy.unwrap_or_default();
    for ns in policy.namespaces.iter().flatten() {
        if ns.get_ref().trim().is_empty() {
            return Err(loc.error(Some(ns.span()), "empty namespace pattern"));
        }
        settings.policy.namespaces.push(ns.get_ref().clone());
    }
    settings.policy.required_labels = policy
        .required_labels
        .unwrap_or_default()
        .into_iter()
        .map(Spanned::into_inner)
        .collect();
    settings.policy.flows_root = policy.flows_root.map(|r| dir.join(r.get_ref()));

    if let Some(patterns) = raw.exclude {
        let globs = patterns
            .iter()
            .map(|p| loc.glob(p, "exclude"))
            .collect::<Result<_, _>>()?;
        settings.exclude = Some(globs);
    }
    settings.extend_exclude = raw
        .extend_exclude
        .unwrap_or_default()
        .iter()
        .map(|p| loc.glob(p, "extend-exclude"))
        .collect::<Result<_, _>>()?;
    settings.schema = raw.schema.map(|s| dir.join(s.get_ref()));
    if let Some(v) = raw.target_version {
        settings.target_version = Some(
            super::version::parse_target_version(v.get_ref())
                .map_err(|e: String| loc.error(Some(v.span()), e))?,
        );
    }
    if let Some(e) = raw.edition {
        settings.edition = Some(super::Edition::from_str(e.get_ref(), false).map_err(|_| {
            loc.error(
                Some(e.span()),
                format!(
                    "invalid edition `{}`; expected \"oss\" or \"ee\"",
                    e.get_ref()
                ),
            )
        })?);
    }
    if let Some(f) = raw.output_format {
        let format = OutputFormat::from_str(f.get_ref(), false).map_err(|_| {
            let names: Vec<String> = OutputFormat::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
                .collect();
            loc.error(
                Some(f.span()),
                format!(
                    "invalid output format `{}`; expected one of: {}",
                    f.get_ref(),
                    names.join(", ")
                ),
            )
        })?;
        settings.output_format = Some(format);
    }
    if let Some(f) = raw.fail_on {
        settings.fail_on = Some(FailOn::from_str(f.get_ref(), false).map_err(|_| {
            loc.error(
                Some(f.span()),
                format!(
                    "invalid `fail-on` value `{}`; expected error, warning or info",
                    f.get_ref()
                ),
            )
        })?);
    }
    if let Some(n) = raw.max_findings_per_rule {
        settings.limits.per_rule = n;
    }
    if let Some(n) = raw.max_findings_per_file {
        settings.limits.per_file = n;
    }
    settings.imply_policy_rules();
    Ok(settings)
}

/// The folder a config file's relative paths are resolved against.
pub(super) fn dir_of(path: &Path, cwd: &Path) -> PathBuf {
    let abs = super::absolute(cwd, path);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}
