//! `--show-settings`: the resolved settings as TOML-like text, with where they came from.

use std::fmt::Write;
use std::path::Path;

use super::Settings;
use crate::source::display_path;

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `path` relative to the current directory (`../schemas/kestra.json`), when they share a root.
fn shown(settings: &Settings, path: &Path) -> String {
    let (cwd, path) = (super::normalize(&settings.cwd), super::normalize(path));
    let common = cwd
        .components()
        .zip(path.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return display_path(&path);
    }
    let mut rel = std::path::PathBuf::new();
    for _ in cwd.components().skip(common) {
        rel.push("..");
    }
    for c in path.components().skip(common) {
        rel.push(c.as_os_str());
    }
    if rel.as_os_str().is_empty() {
        ".".to_string()
    } else {
        display_path(&rel)
    }
}

pub(super) fn render(s: &Settings, excludes: &[String]) -> String {
    let mut out = String::new();
    let _ = match &s.config_file {
        Some(p) => writeln!(out, "# Settings from {}", display_path(p)),
        None => writeln!(out, "# No configuration file: built-in defaults"),
    };
    let opt = |v: Option<String>| v.unwrap_or_else(|| "(not set)".to_string());
    let _ = writeln!(
        out,
        "output-format = {}",
        opt(s
            .output_format
            .map(|f| format!("{:?}", format!("{f:?}").to_lowercase())))
    );
    let fail_on = s.fail_on.map_or("error", |f| match f {
        super::FailOn::Error => "error",
        super::FailOn::Warning => "warning",
        super::FailOn::Info => "info",
    });
    let _ = writeln!(out, "fail-on = {fail_on:?}");
    let _ = writeln!(out, "max-findings-per-rule = {}", s.limits.per_rule);
    let _ = writeln!(out, "max-findings-per-file = {}", s.limits.per_file);
    let target = s.resolved_target();
    let _ = writeln!(
        out,
        "target-version = \"{}\"  # {}",
        target.target,
        target.origin_text()
    );
    let _ = writeln!(
        out,
        "schema = {}",
        opt(s.schema.as_ref().map(|p| format!("{:?}", shown(s, p))))
    );
    let _ = writeln!(
        out,
        "edition = {}",
        opt(s.edition.map(|e| format!("\"{}\"", e.as_str())))
    );
    let _ = writeln!(out, "exclude = {}", list(excludes));

    let _ = writeln!(out, "\n[lint]");
    if s.recursive_rendering {
        let _ = writeln!(out, "recursive-rendering = true");
    }
    for (i, layer) in s.rules.layers.iter().enumerate() {
        let from = if i == 0 && s.config_file.is_some() {
            "file"
        } else {
            "command line"
        };
        if let Some(sel) = &layer.select {
            let _ = writeln!(out, "select = {}  # {from}", list(sel));
        }
        if !layer.extend_select.is_empty() {
            let _ = writeln!(
                out,
                "extend-select = {}  # {from}",
                list(&layer.extend_select)
            );
        }
        if !layer.ignore.is_empty() {
            let _ = writeln!(out, "ignore = {}  # {from}", list(&layer.ignore));
        }
    }
    let enabled: Vec<String> = s
        .rules
        .enabled_codes()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let _ = writeln!(out, "enabled = {}", list(&enabled));
    for p in &s.per_file_ignores {
        let _ = writeln!(out, "per-file-ignores.{:?} = {}", p.pattern, list(&p.codes));
    }
    for (code, sev) in &s.rules.severity {
        let level = sev.map_or("off", |v| v.as_str());
        let _ = writeln!(out, "severity.{code} = {level:?}");
    }
    let policy = &s.policy;
    if !policy.namespaces.is_empty() {
        let _ = writeln!(out, "policy.namespaces = {}", list(&policy.namespaces));
    }
    if !policy.required_labels.is_empty() {
        let _ = writeln!(
            out,
            "policy.required-labels = {}",
            list(&policy.required_labels)
        );
    }
    if let Some(root) = &policy.flows_root {
        let _ = writeln!(out, "policy.flows-root = {:?}", shown(s, root));
    }
    out
}
