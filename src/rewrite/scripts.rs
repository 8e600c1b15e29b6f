//! Script tasks' legacy `runner`/`docker` → `taskRunner` + `containerImage` (kestra-migrate's
//! `migrateLegacyScriptRunner`, scoped to `io.kestra.plugin.scripts.*`).

use super::text::{entry_lines_any, indent, remove_entry, replace_entry};
use crate::diagnostic::{Applicability, Fix};
use crate::yaml::Node;

pub const PROCESS: &str = "io.kestra.plugin.core.runner.Process";
pub const DOCKER: &str = "io.kestra.plugin.scripts.runner.docker.Docker";

/// The fix of a script task's `runner` and `docker` keys; `uses_output_dir` when the task
/// reads `{{ outputDir }}` (the task runner then needs `outputDirectory: true`).
pub fn legacy_runner(text: &str, task: &Node, uses_output_dir: bool) -> Option<Fix> {
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
            vec![remove_entry(text, task, runner?)?],
        );
    }
    let mut lines = vec!["taskRunner:".to_string()];
    let (message, applicability) = match kind {
        "PROCESS" if docker.is_none() => {
            lines.push(format!("  type: {PROCESS}"));
            (
                "replace `runner: PROCESS` with the Process `taskRunner`".to_string(),
                Applicability::Safe,
            )
        }
        "DOCKER" => {
            lines.push(format!("  type: {DOCKER}"));
            let mut image = None;
            if let Some(docker) = docker {
                for e in docker.value.as_map()? {
                    if e.key_str() == Some("image") {
                        let line = entry_lines_any(text, e)?;
                        let value = line.first()?.split_once(':')?.1.trim_start().to_string();
                        image = Some((value, line.len()));
                        continue;
                    }
                    let moved = entry_lines_any(text, e)?;
                    lines.push(format!("  {}", moved[0]));
                    lines.extend(indent(&moved, 2).into_iter().skip(1));
                }
            }
            if let Some((image, count)) = image {
                if count != 1 || task.get("containerImage").is_some() {
                    return None;
                }
                lines.push(format!("containerImage: {image}"));
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
        lines.push("outputDirectory: true".to_string());
    }
    let first = runner.or(docker)?;
    let mut edits = vec![replace_entry(text, task, first, &lines)?];
    if let (Some(_), Some(docker)) = (runner, docker) {
        edits.push(remove_entry(text, task, docker)?);
    }
    super::fix(message, applicability, edits)
}
