//! The files of a command-line run (`check`, `migrate`): the paths named, the exclude flags
//! over the settings' excludes, discovery, the excludes of nested configs, and reading and
//! linting them. One place, so every command lints the same files the same way.

use std::path::PathBuf;

use globset::GlobSet;

use super::Workspace;
use crate::config::Settings;
use crate::discover::{self, Discovered};
use crate::engine::FileReport;

/// How a run chooses its files, as given on the command line.
#[derive(Debug, Clone, Copy)]
pub struct FileArgs<'a> {
    /// The paths named (none: the current directory).
    pub paths: &'a [PathBuf],
    /// `--exclude`: replaces the excludes of the settings (and the defaults).
    pub exclude: Option<&'a [String]>,
    /// `--extend-exclude`.
    pub extend_exclude: &'a [String],
    /// `--force-exclude`: excludes apply to the files named too.
    pub force_exclude: bool,
}

impl FileArgs<'_> {
    /// The exclude patterns of the run: the flags over the settings'.
    pub fn patterns(&self, settings: &Settings) -> Vec<String> {
        settings.excludes(self.exclude, self.extend_exclude)
    }

    /// [`Self::patterns`], compiled.
    pub fn excludes(&self, settings: &Settings) -> Result<GlobSet, String> {
        discover::build_excludes(&self.patterns(settings))
    }

    /// The paths discovery starts from: those named, or the current directory.
    pub fn roots(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.to_vec()
        }
    }

    /// Expand the roots into files; each path that cannot be read is printed on stderr (the
    /// run exits 2), and stays in [`Discovered::errors`].
    pub fn discover(&self, excludes: &GlobSet) -> Discovered {
        let found = discover::discover(&self.roots(), excludes, self.force_exclude);
        for err in &found.errors {
            eprintln!(
                "kestra-lint: error: {}: {}",
                crate::source::display_path(&err.path),
                err.message
            );
        }
        found
    }
}

impl Workspace {
    /// Drop the files a nested config excludes: its excludes hold below it, and, as for the
    /// run's excludes, files named on the command line only with `--force-exclude`.
    pub fn retain_included(&self, files: &mut Vec<PathBuf>, args: &FileArgs<'_>) {
        let Some(per_file) = self.options.per_file.clone() else {
            return;
        };
        let run = &self.options.settings;
        let mut nested_excludes = std::collections::HashMap::new();
        files.retain(|file| {
            let Some(own) = per_file.get(file) else {
                return true;
            };
            if std::sync::Arc::ptr_eq(own, run)
                || (args.paths.contains(file) && !args.force_exclude)
            {
                return true;
            }
            let set = nested_excludes
                .entry(std::sync::Arc::as_ptr(own))
                .or_insert_with(|| own.own_excludes());
            !set.as_ref().is_some_and(|set| own.is_excluded(set, file))
        });
    }

    /// [`Self::lint_paths`], in the order given; a file that cannot be read is printed on
    /// stderr and left out. The flag says whether any was (the run exits 2).
    pub fn lint_files(&self, files: &[PathBuf]) -> (Vec<FileReport>, bool) {
        let mut reports = Vec::with_capacity(files.len());
        let mut failed = false;
        for (path, result) in self.lint_paths(files) {
            match result {
                Ok(report) => reports.push(report),
                Err(e) => {
                    eprintln!(
                        "kestra-lint: error: {}: {e}",
                        crate::source::display_path(&path)
                    );
                    failed = true;
                }
            }
        }
        (reports, failed)
    }
}

/// `--threads N`: the size of the pool that lints (default: one thread per core).
pub fn use_threads(threads: Option<usize>) {
    if let Some(n) = threads {
        // Only fails if a pool already exists, which cannot happen before a run starts.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
}
