//! `kestra-lint schema pull` and `kestra-lint schema info`, and which schema a run uses:
//! `--schema`, else the config's `schema`, else the schema pinned by `schema pull`, else the
//! embedded core schema.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::config::{ConfigArgs, Target};
use crate::schema::pinned;
use crate::schema::pull::{pull, PullRequest};
use crate::schema::{self, LayerKind, Schema, SchemaStore};
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Download the flow schema a Kestra server serves and pin it in the repository
    /// (token from KESTRA_API_TOKEN, or KESTRA_USERNAME and KESTRA_PASSWORD).
    Pull(PullArgs),
    /// Show which schema is in use, where it came from, and how many types it knows.
    Info(InfoArgs),
}

#[derive(Debug, Args)]
pub struct PullArgs {
    /// The server's URL, e.g. https://kestra.example.com
    #[arg(long, value_name = "URL")]
    pub server: String,
    /// The tenant (Enterprise Edition); default: the server's default tenant.
    #[arg(long, value_name = "TENANT")]
    pub tenant: Option<String>,
    /// Where to write the schema [default: <repository root>/.kestra/flow-schema.json].
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Describe this schema file instead of the one a `check` run here would use.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Read settings from this file instead of searching for kestra-lint.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,
    /// The Kestra version to describe the schema for (`2.0`, `1.3`).
    #[arg(long, value_name = "VERSION")]
    pub target_version: Option<String>,
}

/// Where the schema of a run comes from.
pub enum Source {
    Explicit(PathBuf),
    Pinned(PathBuf),
    Embedded,
}

/// `--schema` or the config's `schema` (already in `explicit`), else a pinned schema.
pub fn source(explicit: Option<&Path>, cwd: &Path) -> Source {
    match explicit {
        Some(p) => Source::Explicit(p.to_path_buf()),
        None => match pinned::find(cwd) {
            Some(p) => Source::Pinned(p),
            None => Source::Embedded,
        },
    }
}

pub fn load(source: &Source, target: Target) -> Result<Arc<SchemaStore>, String> {
    match source {
        Source::Explicit(p) => schema::load(Some(p), LayerKind::Explicit, target),
        Source::Pinned(p) => schema::load(Some(p), LayerKind::Pinned, target),
        Source::Embedded => schema::load(None, LayerKind::Core, target),
    }
}

pub fn run(command: SchemaCommand) -> ExitCode {
    let result = match command {
        SchemaCommand::Pull(args) => run_pull(args),
        SchemaCommand::Info(args) => run_info(args),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kestra-lint: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_pull(args: PullArgs) -> Result<String, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let output = args.output.unwrap_or_else(|| {
        pinned::repo_root(&cwd)
            .join(pinned::DIR)
            .join(pinned::SCHEMA_FILE)
    });
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let request = PullRequest {
        server: args.server,
        tenant: args.tenant,
        output,
        token: env("KESTRA_API_TOKEN"),
        basic: env("KESTRA_USERNAME").zip(env("KESTRA_PASSWORD")),
    };
    let pulled = pull(&request)?;
    let shown = crate::source::display_path(&crate::source::relative_to(&pulled.path, &cwd));
    let version = pulled
        .meta
        .kestra_version
        .as_deref()
        .map(|v| format!(", Kestra {v}"))
        .unwrap_or_default();
    Ok(format!(
        "Pulled the flow schema of {}{version}: {} definitions, written to {shown}.\n\
         Runs of `kestra-lint check` in this repository now use it.\n",
        pulled.meta.server, pulled.definitions
    ))
}

fn run_info(args: InfoArgs) -> Result<String, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let config_args = ConfigArgs {
        config: args.config,
        isolated: args.isolated,
        schema: args.schema,
        target_version: args.target_version,
        ..ConfigArgs::default()
    };
    let settings = crate::config::resolve(&config_args, &cwd)?;
    let target = settings.resolved_target();
    let source = source(settings.schema.as_deref(), &cwd);
    let store = load(&source, target.target)?;
    let schema = store.primary();
    let mut out = String::new();
    out.push_str(&format!("target: Kestra {}\n", target.describe()));
    let shown = |p: &Path| crate::source::display_path(&crate::source::relative_to(p, &cwd));
    match &source {
        Source::Embedded => {
            let meta = embedded_meta(schema);
            out.push_str(&format!(
                "schema: the embedded core schema (Kestra {}, from {}) and the embedded plugin schemas\n",
                meta.0, meta.1
            ));
        }
        Source::Explicit(p) => out.push_str(&format!(
            "schema: {} (from --schema or the config's `schema`), then the embedded schemas for the types it lacks\n",
            shown(p)
        )),
        Source::Pinned(p) => {
            out.push_str(&format!(
                "schema: {} (pinned by `kestra-lint schema pull`), then the embedded schemas for the types it lacks\n",
                shown(p)
            ));
            if let Some(meta) = pinned::read_meta(p) {
                out.push_str(&format!("server: {}\n", meta.server));
                if let Some(t) = meta.tenant {
                    out.push_str(&format!("tenant: {t}\n"));
                }
                if let Some(v) = meta.kestra_version {
                    out.push_str(&format!("kestra version: {v}\n"));
                }
                out.push_str(&format!("pulled: {}\n", meta.pulled_at));
                let actual = pinned::sha256_hex(schema.text().as_bytes());
                let state = if actual == meta.sha256 {
                    "matches"
                } else {
                    "DIFFERS from the file: pull again"
                };
                out.push_str(&format!("sha256: {} ({state})\n", meta.sha256));
            }
        }
    }
    out.push_str("layers (the first that knows a type describes it):\n");
    for (i, layer) in store.layers().iter().enumerate() {
        let counts = layer.schema.type_counts();
        let name = match layer.kind {
            LayerKind::Explicit => "schema file",
            LayerKind::Pinned => "pinned server schema",
            LayerKind::Core => "embedded core",
        };
        out.push_str(&format!(
            "  {}. {name}: {} definitions, {} task, {} trigger, {} condition, {} input types\n",
            i + 1,
            layer.schema.definition_count(),
            counts.tasks,
            counts.triggers,
            counts.conditions,
            counts.inputs
        ));
    }
    if let Some(plugins) = store.plugin_layer() {
        let entries = plugins.plugins();
        let total: usize = entries
            .iter()
            .flat_map(|p| p.types.iter())
            .filter(|(k, _)| k != "other")
            .map(|(_, n)| n)
            .sum();
        let open: usize = entries.iter().map(|p| p.open).sum();
        out.push_str(&format!(
            "  {}. embedded plugins: {} plugins, {total} task/trigger/condition/runner types ({open} open: parent class not in the sources, unknown keys not checked)\n",
            store.layers().len() + 1,
            entries.len()
        ));
        for p in entries {
            let kinds: Vec<String> = p.types.iter().map(|(k, n)| format!("{n} {k}")).collect();
            let open = if p.open > 0 {
                format!(", {} open", p.open)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "     {}: {}{open} ({}@{}, {})\n",
                p.name,
                kinds.join(", "),
                p.repository,
                &p.commit[..p.commit.len().min(12)],
                p.commit_date
            ));
        }
    }
    if matches!(source, Source::Embedded) {
        out.push_str("other types: reported once (S006) and not checked\n");
    }
    Ok(out)
}

/// Kestra version and source recorded in the embedded schema.
fn embedded_meta(schema: &Schema) -> (String, String) {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "x-kestra-lint")]
        meta: Option<serde_json::Value>,
    }
    let meta = serde_json::from_str::<Head>(schema.text())
        .ok()
        .and_then(|h| h.meta);
    let field = |k: &str| {
        meta.as_ref()
            .and_then(|m| m.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or("unknown")
            .to_string()
    };
    (field("kestraVersion"), field("source"))
}
