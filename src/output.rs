//! Where a `check` run's report goes and what the run exits with: `--output-file` (written
//! atomically), `--statistics`, `--exit-zero` and `--fail-on`. The exit code depends on the
//! findings and `--fail-on` only, never on the output format.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::diagnostic::Severity;
use crate::engine::FileReport;
use crate::report::{self, ColorChoice, OutputFormat, RenderContext, Style};

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write the report to this file instead of stdout (replaced atomically; written through
    /// a symlink, into a FIFO).
    #[arg(short = 'o', long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// Print how many findings each rule produced, instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Exit 0 even when there are findings (a tool failure still exits 2).
    #[arg(long)]
    pub exit_zero: bool,
}

/// Colours only for a terminal: a report written to a file gets none unless asked for.
pub fn style(args: &OutputArgs, color: ColorChoice) -> Style {
    if args.output_file.is_some() && color == ColorChoice::Auto {
        return Style::detect(ColorChoice::Never);
    }
    Style::detect(color)
}

/// Render the report and write it where it belongs. A human format gets the summary line at its
/// end; a machine format keeps its output parseable and the summary goes to stderr. A closed
/// pipe (`| head`) ends the output quietly; any other write failure is an `Err` (exit 2).
pub fn emit(
    args: &OutputArgs,
    format: OutputFormat,
    files: &[FileReport],
    ctx: &RenderContext,
    summary: Option<&str>,
    to_stderr: bool,
) -> Result<(), String> {
    let mut text = if args.statistics {
        report::statistics::render(format, files)
    } else {
        report::render_with(format, files, ctx)
    };
    let mut stderr_summary = None;
    if let Some(summary) = summary {
        if format.is_human() {
            text.push_str(summary);
            text.push('\n');
        } else {
            stderr_summary = Some(summary);
        }
    }
    match &args.output_file {
        Some(path) => write_atomically(path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None if to_stderr => {
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
        None => {
            if was_closed(1) {
                // Rust's stdout drops writes to a closed descriptor without an error.
                return Err(
                    "cannot write to stdout: it is closed, so the report would be lost \
                     (use --output-file)"
                        .to_string(),
                );
            }
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(()),
                Err(e) => return Err(format!("cannot write to stdout: {e}")),
            }
        }
    }
    if let Some(summary) = stderr_summary {
        let _ = writeln!(std::io::stderr(), "{summary}");
    }
    Ok(())
}

/// Whether standard stream `fd` (0 or 1) was closed when the program started. Rust's runtime
/// then opens `/dev/null` read-write in its place, so reads see an empty stdin and writes
/// vanish without an error; a shell's `</dev/null` or `>/dev/null` opens it read-only or
/// write-only, which stays allowed. Linux only (it reads `/proc`); elsewhere never true.
pub fn was_closed(fd: u8) -> bool {
    let is_null = std::fs::read_link(format!("/proc/self/fd/{fd}"))
        .is_ok_and(|target| target == Path::new("/dev/null"));
    if !is_null {
        return false;
    }
    let Ok(info) = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")) else {
        return false;
    };
    const ACCESS_MODE: u32 = 0o3;
    const READ_WRITE: u32 = 0o2;
    info.lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
        .is_some_and(|flags| flags & ACCESS_MODE == READ_WRITE)
}

/// 2 when the tool failed; else 1 when a finding reaches `--fail-on`, unless `--exit-zero`.
pub fn exit_code(
    args: &OutputArgs,
    files: &[FileReport],
    tool_failed: bool,
    level: Severity,
) -> ExitCode {
    if tool_failed {
        return ExitCode::from(2);
    }
    let failing = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.severity >= level);
    if failing && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Write a file the user named (see [`crate::safe_write`]): atomically when that keeps the
/// file as it was, through symlinks, into FIFOs; a read-only file is refused.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::safe_write::write(path, bytes, None).map_err(|e| std::io::Error::other(e.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        std::fs::write(&target, "old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let missing = dir.path().join("no/such/dir/report.json");
        assert!(write_atomically(&missing, b"x").is_err());
    }
}
