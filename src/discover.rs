//! Which files to lint: directories are walked with `ignore` (honours .gitignore and .ignore,
//! skips hidden entries), keeping `.yml`/`.yaml`; files named on the command line are always
//! linted. Exclude globs are compiled once with `globset`.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// Folders no one wants linted (like ruff's defaults); `--exclude` replaces them.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "target",
    "build",
    "dist",
];

/// A problem finding files: exit code 2.
#[derive(Debug)]
pub struct DiscoverError {
    pub path: PathBuf,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub errors: Vec<DiscoverError>,
    /// YAML-named entries of walked folders that are not regular files (symlinks are not
    /// followed, FIFOs and devices never read), with why: listed by `-v`.
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// Compile exclude patterns. A pattern without `/` matches a file or folder name at any depth,
/// as in .gitignore; one with `/` matches the path from the current directory.
pub fn build_excludes(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_end_matches('/');
        let base = trimmed.trim_start_matches("./");
        let variants = if base.contains('/') {
            vec![base.to_string(), format!("{base}/**")]
        } else {
            vec![format!("**/{base}"), format!("**/{base}/**")]
        };
        for v in variants {
            let glob =
                Glob::new(&v).map_err(|e| format!("invalid exclude pattern `{pattern}`: {e}"))?;
            builder.add(glob);
        }
    }
    builder.build().map_err(|e| e.to_string())
}

/// Is `path` excluded? Paths are compared relative to the current directory.
pub fn is_excluded(excludes: &GlobSet, path: &Path) -> bool {
    let rel = path.strip_prefix("./").unwrap_or(path);
    excludes.is_match(rel)
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yml" | "yaml" | "YML" | "YAML")
    )
}

/// Expand the command-line paths into a sorted, de-duplicated list of files.
/// `force_exclude` applies the excludes to files named explicitly too (pre-commit).
pub fn discover(paths: &[PathBuf], excludes: &GlobSet, force_exclude: bool) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                let message = if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_string()
                } else {
                    e.to_string()
                };
                found.errors.push(DiscoverError {
                    path: path.clone(),
                    message,
                });
                continue;
            }
        };
        if !meta.is_dir() {
            if !(force_exclude && is_excluded(excludes, path)) {
                found.files.push(path.clone());
            }
            continue;
        }
        walk(path, excludes, &mut found);
    }
    found.files.sort();
    // One path alone cannot name a file twice: a walk does not follow links, so it meets each
    // file once (and canonicalising every file of a large tree is most of discovery's time).
    if paths.len() > 1 {
        dedup_same_file(&mut found.files);
    }
    found.skipped.sort();
    found
}

/// Keep one path per file: `check . a.yml` and `a.yml ./a.yml` name one file twice, which
/// must be linted once (else it is a K701 duplicate of itself). Compared canonically.
fn dedup_same_file(files: &mut Vec<PathBuf>) {
    let mut seen = std::collections::HashSet::new();
    files.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
}

fn walk(root: &Path, excludes: &GlobSet, found: &mut Discovered) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry({
            let excludes = excludes.clone();
            move |entry| !is_excluded(&excludes, entry.path())
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let Some(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() || !is_yaml(entry.path()) {
                    continue;
                }
                if kind.is_file() {
                    found.files.push(entry.into_path());
                } else {
                    let why = if kind.is_symlink() {
                        "a symlink, not followed"
                    } else {
                        "not a regular file"
                    };
                    found.skipped.push((entry.into_path(), why));
                }
            }
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => root.to_path_buf(),
                };
                // A broken symlink or loop inside a tree is not worth failing the run for,
                // but an unreadable folder is.
                let message = err.to_string();
                if message.contains("Permission denied") {
                    found.errors.push(DiscoverError { path, message });
                }
            }
        }
    }
}
