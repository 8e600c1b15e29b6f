//! The repository index: the identity and literal subflow calls of every flow of the project,
//! so the cross-file rules (K701–K703) judge the files named on the command line (pre-commit
//! passes only the changed ones) against the whole repository.
//!
//! The project root is the Git root above the linted file, else (outside Git) the folder of the
//! config file it uses: a nested config must not narrow the index to its own folder. Its `.yml`/`.yaml` files are walked as discovery walks (`.gitignore`, hidden entries
//! skipped, excludes). A summary is cached in `<root>/.kestra-lint-cache/` by relative path,
//! size and modification time, so a run re-reads only the files that changed; the folder holds a
//! `.gitignore` of `*` so it never gets committed. Every failure here (unwritable root, corrupt
//! cache) just means less caching or a smaller index: the index never fails a run.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use globset::GlobSet;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::engine::RepoFlow;
use crate::flow::summary::{FlowSummary, SubflowCall};

/// The cache folder at the project root (like ruff's `.ruff_cache`).
pub const CACHE_DIR: &str = ".kestra-lint-cache";
const CACHE_FILE: &str = "flow-index.json";

/// The project root for a linted file's folder (absolute): the closest folder at or above it
/// holding `.git`, else the folder of its config file, if any.
fn root_for(config_root: Option<&Path>, dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
        .or_else(|| config_root.map(Path::to_path_buf))
}

/// The flows of the projects of the linted files (`reports`), minus the linted files; `walked`
/// are the paths discovery expanded. `cwd` is absolute; `config_root` gives the folder of the
/// config file a linted file uses, if any.
pub fn for_reports(
    reports: &[crate::engine::FileReport],
    walked: &[PathBuf],
    config_root: &dyn Fn(&Path) -> Option<PathBuf>,
    cwd: &Path,
    excludes: &GlobSet,
    use_cache: bool,
) -> Vec<RepoFlow> {
    let canonical = |p: &Path| {
        let abs = crate::config::absolute(cwd, p);
        std::fs::canonicalize(&abs).unwrap_or(abs)
    };
    let cwd = canonical(cwd);
    // Roots are looked up once per folder, in parallel: thousands of files share a few hundred
    // folders, and each lookup is a canonicalisation and a `.git` probe per folder above.
    let named: HashSet<&Path> = walked.iter().map(PathBuf::as_path).collect();
    // Unnamed stdin (`-`) belongs to no project: its flow may be a copy of any file.
    let folders: HashSet<(PathBuf, Option<PathBuf>)> = reports
        .iter()
        .filter(|r| r.source.path != Path::new("-"))
        .filter_map(|r| {
            let config = config_root(&r.source.path);
            let file = crate::config::absolute(&cwd, &r.source.path);
            // A linked file belongs to the project of what it points to. Only a path named
            // on the command line (or stdin's name) can be a link: walks do not yield links.
            let maybe_link = walked.is_empty() || named.contains(r.source.path.as_path());
            let folder = if maybe_link && file.is_symlink() {
                canonical(&file).parent()?.to_path_buf()
            } else {
                file.parent()?.to_path_buf()
            };
            Some((folder, config))
        })
        .collect();
    let mut roots: Vec<PathBuf> = folders
        .into_par_iter()
        .filter_map(|(folder, config)| {
            root_for(config.as_deref(), &canonical(&folder)).map(|root| canonical(&root))
        })
        .collect();
    roots.sort();
    roots.dedup();
    // A project whose folder (or a folder above it) was walked to find the linted files holds
    // nothing more to index: skip the second walk.
    let walked: Vec<PathBuf> = walked
        .iter()
        .filter(|p| p.is_dir())
        .map(|p| canonical(p))
        .collect();
    roots.retain(|root| !walked.iter().any(|w| root.starts_with(w)));
    if roots.is_empty() {
        return Vec::new();
    }
    let skip: HashSet<PathBuf> = reports.iter().map(|r| canonical(&r.source.path)).collect();
    let mut flows = Vec::new();
    for root in roots {
        let rel = crate::source::relative_to(&root, &cwd);
        let walk_from = if rel.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            rel
        };
        flows.extend(load(&root, &walk_from, excludes, &skip, use_cache));
    }
    flows.sort_by(|a, b| a.path.cmp(&b.path));
    flows.dedup_by(|a, b| a.path == b.path);
    flows
}

/// One cached file: its stamp, and its flow when it is one.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    size: u64,
    mtime_ns: u64,
    flow: Option<CachedFlow>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedFlow {
    namespace: String,
    id: String,
    /// (namespace, flowId) of each literal Subflow/ForEachItem call.
    calls: Vec<(String, String)>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// The kestra-lint version that wrote it: another version starts afresh.
    version: String,
    files: HashMap<String, Entry>,
}

/// The flows of the project at `root` (absolute), minus the files in `skip` (absolute,
/// canonical: the linted files, whose own summaries are used). `walk_from` is `root` as seen from
/// the current directory, so that exclude globs match as they do in discovery.
pub fn load(
    root: &Path,
    walk_from: &Path,
    excludes: &GlobSet,
    skip: &HashSet<PathBuf>,
    use_cache: bool,
) -> Vec<RepoFlow> {
    let found = crate::discover::discover(&[walk_from.to_path_buf()], excludes, false);
    let cache_path = root.join(CACHE_DIR).join(CACHE_FILE);
    let version = env!("CARGO_PKG_VERSION");
    let old = if use_cache {
        std::fs::read(&cache_path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
            .filter(|c| c.version == version)
            .unwrap_or_default()
    } else {
        Cache::default()
    };
    // The linted files are not read here, but their cache entries are kept: the next run
    // (pre-commit, with other files) still finds them.
    let mut new = Cache {
        version: version.to_string(),
        files: HashMap::new(),
    };
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for shown in found.files {
        let Ok(rel) = shown.strip_prefix(walk_from) else {
            continue;
        };
        let key = crate::source::display_path(rel);
        if skip.contains(&root.join(rel)) {
            if let Some((k, e)) = old.files.get_key_value(&key) {
                new.files.insert(k.clone(), e.clone());
            }
        } else {
            files.push((shown.clone(), key));
        }
    }
    let entries: Vec<(String, PathBuf, Option<Entry>)> = files
        .into_par_iter()
        .map(|(shown, rel)| {
            let entry = read_entry(&shown, old.files.get(&rel));
            (rel, shown, entry)
        })
        .collect();
    let mut flows = Vec::new();
    for (rel, shown, entry) in entries {
        let Some(entry) = entry else { continue };
        if let Some(flow) = &entry.flow {
            flows.push(RepoFlow {
                path: crate::source::display_path(&shown),
                summary: flow.to_summary(),
            });
        }
        new.files.insert(rel, entry);
    }
    let changed = new.files.len() != old.files.len()
        || new
            .files
            .iter()
            .any(|(rel, e)| !same_stamp(old.files.get(rel), e));
    if use_cache && changed {
        write_cache(root, &cache_path, &new);
    }
    flows
}

fn same_stamp(old: Option<&Entry>, new: &Entry) -> bool {
    old.is_some_and(|o| o.size == new.size && o.mtime_ns == new.mtime_ns)
}

/// The cached entry when the file's size and mtime still match, else the file read again.
fn read_entry(path: &Path, cached: Option<&Entry>) -> Option<Entry> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    let size = meta.len();
    if let Some(c) = cached {
        if c.size == size && c.mtime_ns == mtime_ns {
            return Some(Entry {
                size,
                mtime_ns,
                flow: c.flow.clone(),
            });
        }
    }
    let flow = if size > crate::engine::DEFAULT_MAX_FILE_SIZE {
        None
    } else {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|t| summarize_text(&t))
    };
    Some(Entry {
        size,
        mtime_ns,
        flow,
    })
}

/// The flow of a file's text, if it is one (cheap test first: a flow names its namespace).
fn summarize_text(text: &str) -> Option<CachedFlow> {
    if !text.contains("namespace") {
        return None;
    }
    let doc = crate::yaml::parse(text);
    let root = doc.root.as_ref()?;
    if !crate::flow::is_flow(root) {
        return None;
    }
    // Without templates: the index needs identities and calls, not Pebble reads.
    let summary = crate::flow::summary::summarize(&crate::flow::Flow::new(root), &[])?;
    Some(CachedFlow {
        namespace: summary.namespace,
        id: summary.id,
        calls: summary
            .subflow_calls
            .into_iter()
            .map(|c| (c.namespace, c.flow_id))
            .collect(),
    })
}

impl CachedFlow {
    /// A summary without spans: findings never point into files that were not linted.
    fn to_summary(&self) -> FlowSummary {
        FlowSummary {
            namespace: self.namespace.clone(),
            id: self.id.clone(),
            id_span: 0..0,
            subflow_calls: self
                .calls
                .iter()
                .map(|(namespace, flow_id)| SubflowCall {
                    namespace: namespace.clone(),
                    flow_id: flow_id.clone(),
                    span: 0..0,
                    task: 0,
                })
                .collect(),
            // Not cached: a Flow trigger's upstream reads are only checked against linted flows.
            task_ids: None,
            upstream_reads: Vec::new(),
        }
    }
}

/// Write the cache atomically, creating the folder with its `.gitignore` (and a CACHEDIR.TAG,
/// which backup tools honour). Errors are ignored: a read-only checkout just is not cached.
fn write_cache(root: &Path, path: &Path, cache: &Cache) {
    let dir = root.join(CACHE_DIR);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        let _ = std::fs::write(&gitignore, "# Created by kestra-lint.\n*\n");
        let _ = std::fs::write(
            dir.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55\n# Created by kestra-lint.\n",
        );
    }
    if let Ok(bytes) = serde_json::to_vec(cache) {
        let _ = crate::output::write_atomically(path, &bytes);
    }
}
