//! Settings per linted file, as ruff finds them: the closest config file above each file (up to
//! the repository root) applies to it, whole: nested configs do not merge unless one `extend`s
//! another. `--config` and `--isolated` use one set of settings for every file; a file with no
//! config above it uses the run's settings (those found from the current directory). Every
//! config is read before linting starts, so a broken one stops the run (exit 2) up front.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{absolute, find_config, load, ConfigArgs, Settings};

#[derive(Debug, Default)]
pub struct PerFile {
    /// The settings of the folder of each linted file that has its own.
    by_dir: HashMap<PathBuf, Arc<Settings>>,
    cwd: PathBuf,
}

impl PerFile {
    /// The config files above `files` (paths as linted, relative to `cwd` or absolute).
    /// `run` is the run's settings, resolved from `cwd`.
    pub fn resolve(
        args: &ConfigArgs,
        cwd: &Path,
        run: &Arc<Settings>,
        files: &[PathBuf],
    ) -> Result<Self, String> {
        let mut out = PerFile {
            by_dir: HashMap::new(),
            cwd: cwd.to_path_buf(),
        };
        if args.isolated || args.config.is_some() {
            return Ok(out);
        }
        let mut configs: HashMap<PathBuf, Arc<Settings>> = HashMap::new();
        if let Some(shown) = &run.config_file {
            configs.insert(absolute(cwd, shown), run.clone());
        }
        let mut seen: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
        for file in files {
            let abs = absolute(cwd, file);
            let Some(dir) = abs.parent() else { continue };
            if seen.contains_key(dir) {
                continue;
            }
            let found = find_config(dir);
            if let Some(config) = &found {
                if !configs.contains_key(config) {
                    let shown = crate::source::relative_to(config, cwd);
                    let settings = load(&shown, config, cwd, args)?;
                    configs.insert(config.clone(), Arc::new(settings));
                }
                out.by_dir
                    .insert(dir.to_path_buf(), configs[config].clone());
            }
            seen.insert(dir.to_path_buf(), found);
        }
        Ok(out)
    }

    /// The settings of the config file closest to `path`, if it was resolved.
    pub fn get(&self, path: &Path) -> Option<&Arc<Settings>> {
        if self.by_dir.is_empty() {
            return None;
        }
        let abs = absolute(&self.cwd, path);
        self.by_dir.get(abs.parent()?)
    }

    /// Every distinct set of settings in use (for checks made once per config).
    pub fn all(&self) -> impl Iterator<Item = &Arc<Settings>> {
        self.by_dir.values()
    }
}
