//! The repository index held by a long-running workspace (the server): one flow summary per
//! file, read from disk once per workspace folder (through [`crate::repo_index`] and its
//! cache), then replaced document by document as buffers are opened and edited.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use globset::GlobSet;

use crate::engine::RepoFlow;
use crate::flow::summary::FlowSummary;

#[derive(Debug, Default, Clone)]
pub struct RepoIndex {
    /// By absolute path.
    flows: BTreeMap<PathBuf, RepoFlow>,
}

impl RepoIndex {
    /// Index every flow under `root` (absolute), as the CLI's repository index does.
    pub fn scan(&mut self, root: &Path, excludes: &GlobSet) {
        for flow in crate::repo_index::load(root, root, excludes, &HashSet::new(), true) {
            self.flows.insert(PathBuf::from(&flow.path), flow);
        }
    }

    /// Forget the flows under `root` (a workspace folder was removed).
    pub fn remove_under(&mut self, root: &Path) {
        self.flows.retain(|path, _| !path.starts_with(root));
    }

    /// The flow at `path` is now `summary` (`None`: not a flow, or gone).
    pub fn update(&mut self, path: &Path, summary: Option<FlowSummary>) {
        match summary {
            Some(summary) => {
                let path_shown = crate::source::display_path(path);
                self.flows.insert(
                    path.to_path_buf(),
                    RepoFlow {
                        path: path_shown,
                        summary,
                    },
                );
            }
            None => {
                self.flows.remove(path);
            }
        }
    }

    /// Every flow but the one at `path`, for the cross-file rules of that document.
    pub fn others(&self, path: &Path) -> Vec<RepoFlow> {
        self.flows
            .iter()
            .filter(|(p, _)| p.as_path() != path)
            .map(|(_, f)| f.clone())
            .collect()
    }

    /// The files defining flow `namespace.id`.
    pub fn find(&self, namespace: &str, id: &str) -> Vec<&Path> {
        self.flows
            .iter()
            .filter(|(_, f)| f.summary.namespace == namespace && f.summary.id == id)
            .map(|(p, _)| p.as_path())
            .collect()
    }

    /// The files whose flow calls `namespace.id` as a subflow.
    pub fn callers(&self, namespace: &str, id: &str) -> Vec<&Path> {
        self.flows
            .iter()
            .filter(|(_, f)| {
                f.summary
                    .subflow_calls
                    .iter()
                    .any(|c| c.namespace == namespace && c.flow_id == id)
            })
            .map(|(p, _)| p.as_path())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.flows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.flows.is_empty()
    }
}
