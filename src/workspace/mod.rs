//! The workspace: the one path from settings to findings that `check` (files and stdin),
//! `migrate` and `server` share, so they cannot disagree. Settings and the schema store are
//! loaded once (and reloaded when a config changes), each document is linted alone through
//! [`engine`], and the cross-file rules (K70x, P101 across flows) judge it against a repository
//! index of flow summaries ([`index::RepoIndex`]) that is updated document by document. The
//! command-line runs (`check`, `migrate`) choose, read and lint their files through [`files`].

pub mod document;
pub mod files;
pub mod index;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobSet;
use rayon::prelude::*;

use crate::config::per_file::PerFile;
use crate::config::{ConfigArgs, Settings};
use crate::engine::{self, FileReport, LintOptions, RepoFlow};
use crate::rules;

pub use document::Document;
pub use files::{use_threads, FileArgs};
pub use index::RepoIndex;

/// Settings, schema and per-file configs, resolved from a folder and the command-line flags.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Absolute: the folder a run starts in (the first workspace folder for the server).
    pub cwd: PathBuf,
    args: ConfigArgs,
    pub options: LintOptions,
}

impl Workspace {
    /// The run's settings: the config found from `cwd`, then the flags on top.
    pub fn settings(args: &ConfigArgs, cwd: &Path) -> Result<Arc<Settings>, String> {
        crate::config::resolve(args, cwd).map(Arc::new)
    }

    /// The schema store for `settings` (the `--schema` file, the pinned one, or the embedded
    /// core of the target) and the config files closest to each of `files`.
    pub fn open(
        args: &ConfigArgs,
        cwd: &Path,
        settings: Arc<Settings>,
        files: &[PathBuf],
    ) -> Result<Self, String> {
        let target = settings.resolved_target();
        let schema_source = crate::schema_cmd::source(settings.schema.as_deref(), cwd);
        let schema = crate::schema_cmd::load(&schema_source, target.target)?;
        let per_file = PerFile::resolve(args, cwd, &settings, files)?;
        Ok(Self {
            cwd: cwd.to_path_buf(),
            args: args.clone(),
            options: LintOptions {
                per_file: Some(Arc::new(per_file)),
                schema: Some(schema),
                target,
                ..LintOptions::for_settings(settings)
            },
        })
    }

    /// [`Self::settings`] then [`Self::open`].
    pub fn load(args: &ConfigArgs, cwd: &Path, files: &[PathBuf]) -> Result<Self, String> {
        Self::open(args, cwd, Self::settings(args, cwd)?, files)
    }

    /// Read the configs and the schema again (a config file changed), for `files`.
    pub fn reload(&self, files: &[PathBuf]) -> Result<Self, String> {
        Self::load(&self.args, &self.cwd, files)
    }

    /// Read the config files closest to `files` again (documents opened in new folders).
    pub fn resolve_files(&mut self, files: &[PathBuf]) -> Result<(), String> {
        let per_file = PerFile::resolve(&self.args, &self.cwd, &self.options.settings, files)?;
        self.options.per_file = Some(Arc::new(per_file));
        Ok(())
    }

    /// Default settings and the embedded schema: what is left when nothing can be read.
    pub fn embedded(cwd: &Path) -> Self {
        Self {
            cwd: cwd.to_path_buf(),
            args: ConfigArgs::default(),
            options: LintOptions::default(),
        }
    }

    pub fn settings_of_run(&self) -> &Arc<Settings> {
        &self.options.settings
    }

    /// Every set of settings in use: the run's and each nested config's.
    pub fn all_settings(&self) -> impl Iterator<Item = &Arc<Settings>> {
        std::iter::once(&self.options.settings).chain(
            self.options
                .per_file
                .iter()
                .flat_map(|p| p.all())
                .filter(|s| !Arc::ptr_eq(s, &self.options.settings)),
        )
    }

    /// Read and lint files, in parallel, in the order given.
    pub fn lint_paths(&self, paths: &[PathBuf]) -> Vec<(PathBuf, std::io::Result<FileReport>)> {
        paths
            .par_iter()
            .map(|path| (path.clone(), engine::lint_path(path, &self.options)))
            .collect()
    }

    /// Lint a document held in memory (an editor buffer) as the file at `path` would be,
    /// keeping its YAML tree.
    pub fn lint_text(
        &self,
        path: &Path,
        text: String,
    ) -> (FileReport, Option<crate::yaml::Document>) {
        if text.len() as u64 > self.options.max_file_size {
            let message = format!(
                "the document is {} bytes, over the {}-byte limit; it was not linted",
                text.len(),
                self.options.max_file_size
            );
            return (engine::too_large(path, message, &self.options), None);
        }
        engine::lint_bytes_keeping_tree(path, text.into_bytes(), &self.options)
    }

    /// Is any cross-file rule on, for the run or a nested config (the index is needed only
    /// then)?
    pub fn cross_file_rules_on(&self) -> bool {
        self.all_settings().any(|s| cross_file_rules_on(s))
    }

    /// The flows of the repositories of `reports` that were not linted (see
    /// [`crate::repo_index`]); `walked` are the paths discovery expanded.
    pub fn repo_flows(
        &self,
        reports: &[FileReport],
        walked: &[PathBuf],
        excludes: &GlobSet,
        use_cache: bool,
    ) -> Vec<RepoFlow> {
        let config_root = |path: &Path| {
            let s = self.options.settings_for(path);
            s.config_file.as_ref().map(|_| s.root.clone())
        };
        crate::repo_index::for_reports(
            reports,
            walked,
            &config_root,
            &self.cwd,
            excludes,
            use_cache,
        )
    }

    /// The findings that need several flows (K701–K703, P101 across flows), judged against
    /// `repo` too, then the once-per-run dedupe (S006). Reports must be in path order.
    pub fn cross_file(&self, reports: &mut [FileReport], repo: &[RepoFlow]) {
        engine::cross_file(reports, &self.options, repo);
        engine::dedupe_across_files(reports);
    }
}

/// Is any cross-file rule on in these settings?
pub fn cross_file_rules_on(settings: &Settings) -> bool {
    [
        &rules::k701_duplicate_flow::META,
        &rules::k702_unknown_subflow::META,
        &rules::k703_subflow_cycle::META,
    ]
    .into_iter()
    .any(|meta| settings.rules.is_enabled(meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOW: &str = "id: a\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";

    #[test]
    fn a_document_is_judged_against_the_index_and_updates_it() {
        let workspace = Workspace::embedded(Path::new("/"));
        let mut index = RepoIndex::default();
        let first = Document::lint(
            &workspace,
            &mut index,
            Path::new("/w/a.yml"),
            1,
            FLOW.into(),
        );
        assert!(
            first.report.diagnostics.is_empty(),
            "{:?}",
            first.report.diagnostics
        );
        assert_eq!(index.len(), 1);
        // The same flow in a second document is a duplicate (K701), found through the index.
        let copy = Document::lint(
            &workspace,
            &mut index,
            Path::new("/w/b.yml"),
            1,
            FLOW.into(),
        );
        let codes: Vec<&str> = copy.report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["K701"]);
        // Renamed, it is not.
        let renamed = FLOW.replace("id: a", "id: b");
        let copy = Document::lint(&workspace, &mut index, Path::new("/w/b.yml"), 2, renamed);
        assert!(copy.report.diagnostics.is_empty());
        assert_eq!(index.find("company.team", "b"), [Path::new("/w/b.yml")]);
        assert!(copy.flow().is_some_and(|f| f.tasks.len() == 1));
    }

    #[test]
    fn an_oversized_buffer_is_y007() {
        let mut workspace = Workspace::embedded(Path::new("/"));
        workspace.options.max_file_size = 8;
        let (report, tree) = workspace.lint_text(Path::new("a.yml"), FLOW.into());
        assert_eq!(report.diagnostics[0].code, "Y007");
        assert!(tree.is_none());
    }
}
