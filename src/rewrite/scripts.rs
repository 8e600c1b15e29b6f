//! Script tasks' legacy `runner`/`docker` → `taskRunner` + `containerImage` (kestra-migrate's
//! `migrateLegacyScriptRunner`, scoped to `io.kestra.plugin.scripts.*`).

use crate::diagnostic::{Applicability, Fix};
use crate::yaml::edit::{entry, Editor};
use crate::yaml::Node;

pub const PROCESS: &str = "io.kestra.plugin.core.runner.Process";
pub const DOCKER: &str = "io.kestra.plugin.scripts.runner.docker.Docker";

/// The fix of a script task's `runner` and `docker` keys; `uses_output_dir` when the task
/// reads `{{ outputDir }}` (the task runner then needs `outputDirectory: true`).
pub fn legacy_runner(editor: &Editor<'_>, task: &Node, uses_output_dir: bool) -> Option<Fix> {
    let runner = task.entry("runner");
    let docker = task.entry("docker");
    let kind = runner.map(|r| r.value.as_str()).unwrap_or(Some("DOCKER"))?;
    if task.get("taskRunner").is_some() {
        // An existing taskRunner wins: the legacy keys only go.
        if docker.is_some() {
            return None;
        }
        return super::fix(
            "remove `runner`: the task's `taskRunner` is the one used",
            Applicability::Safe,
            editor.remove_entry(task, runner?.key_str()?)?,
        );
    }
    // The task runner's entries, and the entries written after it.
    let mut runner_fields = Vec::new();
    let mut after = Vec::new();
    let (message, applicability) = match kind {
        "PROCESS" if docker.is_none() => {
            runner_fields.push(format!("type: {PROCESS}"));
            (
                "replace `runner: PROCESS` with the Process `taskRunner`".to_string(),
                Applicability::Safe,
            )
        }
        "DOCKER" => {
            runner_fields.push(format!("type: {DOCKER}"));
            let mut image = None;
            if let Some(docker) = docker {
                for e in docker.value.as_map()? {
                    let moved = editor.entry_text(&docker.value, e.key_str()?)?;
                    if e.key_str() == Some("image") {
                        image = Some(moved.split_once(':')?.1.trim_start().to_string());
                        continue;
                    }
                    runner_fields.push(moved);
                }
            }
            if let Some(image) = image {
                if image.contains('\n') || task.get("containerImage").is_some() {
                    return None;
                }
                after.push(format!("containerImage: {image}"));
            }
            (
                "replace the legacy Docker runner with a Docker `taskRunner` and `containerImage`"
                    .to_string(),
                // Docker options carry over by name; check them against the task runner's.
                Applicability::Unsafe,
            )
        }
        _ => return None,
    };
    if uses_output_dir && task.get("outputDirectory").is_none() {
        after.push("outputDirectory: true".to_string());
    }
    let mut entries = vec![entry("taskRunner", &runner_fields.join("\n"))?];
    entries.extend(after);
    let first = runner.or(docker)?.key_str()?;
    let mut edits = vec![editor.replace_entry(task, first, &entries.join("\n"))?];
    if let (Some(_), Some(docker)) = (runner, docker) {
        edits.extend(editor.remove_entry(task, docker.key_str()?)?);
    }
    super::fix(message, applicability, edits)
}
