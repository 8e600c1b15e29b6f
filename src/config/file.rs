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
    lint: Option<RawLint>,
    exclude: Option<Codes>,
    extend_exclude: Option<Codes>,
    schema: Option<Spanned<String>>,
    target_version: Option<Spanned<String>>,
    edition: Option<Spanned<String>>,
    output_format: Option<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
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

/// Parse a config file's text. `dir` is the absolute folder relative paths are resolved from.
pub(super) fn parse(path: &Path, text: &str, dir: &Path) -> Result<Settings, ConfigError> {
    let loc = Located { path, text };
    let raw: RawConfig =
        toml::from_str(text).map_err(|e| loc.error(e.span(), e.message().trim()))?;
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
            v.get_ref()
                .parse()
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
    settings.imply_policy_rules();
    Ok(settings)
}

/// The folder a config file's relative paths are resolved against.
pub(super) fn dir_of(path: &Path, cwd: &Path) -> PathBuf {
    let abs = super::absolute(cwd, path);
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}
