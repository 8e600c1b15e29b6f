//! Command-line flags that choose or override settings (flattened into `check`).

use std::path::PathBuf;

use clap::Args;

use super::FailOn;

#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Read settings from this file instead of searching for kestra-lint.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Print the resolved settings and the file they came from, then exit.
    #[arg(long)]
    pub show_settings: bool,
    /// Rules to run: codes or prefixes (`K`, `K1`, `B005`, `ALL`); replaces `select`.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Rules to run on top of the selection.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Rules not to run.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding is at least this severe (default: error).
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// Validate against this schema (as served by a Kestra server) instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// The Kestra version the flows are for (`1.3`, `2.0`).
    #[arg(long, value_name = "VERSION")]
    pub target_version: Option<String>,
    /// The Kestra edition the flows run on (`oss`, `ee`): Enterprise features are errors on
    /// `oss`, fine on `ee`, warnings when unset.
    #[arg(long, value_enum, value_name = "EDITION")]
    pub edition: Option<super::Edition>,
    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report at most N findings of one rule per file, then one L003 note (0: no limit;
    /// default 200).
    #[arg(long, value_name = "N")]
    pub max_findings_per_rule: Option<usize>,
    /// Report at most N findings per file, then one L003 note (0: no limit; default 1000).
    #[arg(long, value_name = "N")]
    pub max_findings_per_file: Option<usize>,
    /// Record the current findings in this baseline file and exit.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
}
