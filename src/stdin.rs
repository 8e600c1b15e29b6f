//! `kestra-lint check --stdin-filename PATH -`: lint what an editor sends, reported as PATH.
//! The user asked for this document explicitly, so it is linted as a flow even when it does not
//! look like one.

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;
use globset::GlobSet;

use crate::discover;
use crate::engine::{self, FileReport, LintOptions};

#[derive(Debug, Args)]
pub struct StdinArgs {
    /// With `-` as the path: the file the text on stdin comes from. Findings name it, and it
    /// selects settings like a file on disk would.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

fn is_dash(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Whether this run reads stdin: `-` is the only path, or `--stdin-filename` is given without
/// paths. Mixing `-` with other paths is a usage error.
pub fn requested(paths: &[PathBuf], args: &StdinArgs) -> Result<bool, String> {
    let dashes = paths.iter().filter(|p| is_dash(p)).count();
    match (dashes, paths.len(), &args.stdin_filename) {
        (0, 0, Some(_)) => Ok(true),
        (0, _, Some(_)) => Err("--stdin-filename needs `-` as the only path".to_string()),
        (0, _, None) => Ok(false),
        (1, 1, _) => Ok(true),
        _ => Err("`-` (stdin) cannot be combined with other paths".to_string()),
    }
}

/// Read stdin and lint it. `None` when `--force-exclude` excludes the stdin file name, as it
/// would exclude that file on disk.
pub fn lint(
    args: &StdinArgs,
    excludes: &GlobSet,
    force_exclude: bool,
    options: &LintOptions,
) -> std::io::Result<Option<FileReport>> {
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    if force_exclude && discover::is_excluded(excludes, &path) {
        return Ok(None);
    }
    if crate::output::was_closed(0) {
        // Read as empty, it would pass every check.
        return Err(std::io::Error::other(
            "stdin is closed, there is nothing to lint",
        ));
    }
    lint_reader(&path, std::io::stdin().lock(), options).map(Some)
}

/// Read all of stdin, then lint it: for `--fix` and `--diff`, which give the text back and
/// so need every byte, even of a file too large to lint or excluded. The report is `None`
/// when `--force-exclude` excludes the stdin file name.
pub fn read_and_lint(
    args: &StdinArgs,
    excludes: &GlobSet,
    force_exclude: bool,
    options: &LintOptions,
) -> std::io::Result<(Option<FileReport>, Vec<u8>)> {
    if crate::output::was_closed(0) {
        return Err(std::io::Error::other(
            "stdin is closed, there is nothing to lint",
        ));
    }
    let mut bytes = Vec::new();
    std::io::stdin().lock().read_to_end(&mut bytes)?;
    let path = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    if force_exclude && discover::is_excluded(excludes, &path) {
        return Ok((None, bytes));
    }
    let report = lint_reader(&path, &bytes[..], options)?;
    Ok((Some(report), bytes))
}

/// Lint everything `reader` yields as the flow at `path`.
pub fn lint_reader(
    path: &Path,
    reader: impl Read,
    options: &LintOptions,
) -> std::io::Result<FileReport> {
    let mut bytes = Vec::new();
    reader
        .take(options.max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > options.max_file_size {
        let message = format!(
            "stdin holds more than {} bytes; it was not linted",
            options.max_file_size
        );
        return Ok(engine::too_large(path, message, options));
    }
    let options = LintOptions {
        force_flow: true,
        ..options.clone()
    };
    Ok(engine::lint_bytes(path, bytes, &options))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(name: Option<&str>) -> StdinArgs {
        StdinArgs {
            stdin_filename: name.map(PathBuf::from),
        }
    }

    #[test]
    fn when_stdin_is_read() {
        let p = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(requested(&p(&["-"]), &args(Some("f.yml"))), Ok(true));
        assert_eq!(requested(&p(&["-"]), &args(None)), Ok(true));
        assert_eq!(requested(&p(&[]), &args(Some("f.yml"))), Ok(true));
        assert_eq!(requested(&p(&["a.yml"]), &args(None)), Ok(false));
        assert!(requested(&p(&["a.yml"]), &args(Some("f.yml"))).is_err());
        assert!(requested(&p(&["-", "a.yml"]), &args(None)).is_err());
    }

    #[test]
    fn non_flow_documents_are_linted() {
        let report = lint_reader(
            Path::new("ci.yml"),
            &b"name: ci\non: push\n"[..],
            &LintOptions::default(),
        )
        .unwrap();
        assert!(report.is_flow);
        assert!(report.diagnostics.iter().any(|d| d.code == "K001"));
    }

    #[test]
    fn an_empty_document_is_a_flow_without_anything() {
        for text in ["", "\n", "# only a comment\n", "---\n"] {
            let report =
                lint_reader(Path::new("-"), text.as_bytes(), &LintOptions::default()).unwrap();
            assert!(report.is_flow, "{text:?}");
            let k001 = report.diagnostics.iter().filter(|d| d.code == "K001");
            assert_eq!(k001.count(), 3, "{text:?}: {:?}", report.diagnostics);
        }
    }

    #[test]
    fn oversized_input_is_y007() {
        let options = LintOptions {
            max_file_size: 4,
            ..LintOptions::default()
        };
        let report = lint_reader(Path::new("a.yml"), &b"id: abc\n"[..], &options).unwrap();
        assert_eq!(report.diagnostics[0].code, "Y007");
    }
}
