//! One document of the workspace at one version: linted once, alone and then against the
//! repository index, with its YAML tree kept for hover, completion and navigation.

use std::path::Path;

use super::{RepoIndex, Workspace};
use crate::engine::FileReport;
use crate::flow::Flow;

#[derive(Debug)]
pub struct Document {
    pub version: i32,
    /// The findings; `report.source` holds the text.
    pub report: FileReport,
    /// `None` when the text could not be parsed as YAML text at all (Y006, Y007).
    pub yaml: Option<crate::yaml::Document>,
}

impl Document {
    /// Lint `text` as the file at `path` (absolute); its summary goes into `index`, and the
    /// cross-file rules judge it against the other flows there.
    pub fn lint(
        workspace: &Workspace,
        index: &mut RepoIndex,
        path: &Path,
        version: i32,
        text: String,
    ) -> Self {
        let (mut report, yaml) = workspace.lint_text(path, text);
        index.update(path, report.summary.clone());
        if workspace.cross_file_rules_on() {
            let repo = index.others(path);
            workspace.cross_file(std::slice::from_mut(&mut report), &repo);
        }
        Self {
            version,
            report,
            yaml,
        }
    }

    pub fn text(&self) -> &str {
        &self.report.source.text
    }

    /// The flow view, when the document is a flow that parsed.
    pub fn flow(&self) -> Option<Flow<'_>> {
        let root = self.yaml.as_ref()?.root.as_ref()?;
        self.report.is_flow.then(|| Flow::new(root))
    }
}
