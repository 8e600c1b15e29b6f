//! Removed types with a 2.0 counterpart: Echo → Log, Template → Subflow, the BOOLEAN and ENUM
//! inputs, dbt `Build` → `DbtCLI`.

use super::after;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::flow::types::canonical;
use crate::yaml::edit::Editor;
use crate::yaml::Node;

/// The fix of a removed type K801 reports on `node` (a task, trigger or input).
pub fn removed_type_fix(editor: &Editor<'_>, node: &Node, name: &str, input: bool) -> Option<Fix> {
    let ty = node.get("type")?;
    if input {
        let new = match name {
            "BOOLEAN" => "BOOL",
            "ENUM" => "SELECT",
            _ => return None,
        };
        return super::fix(
            format!("replace `{name}` with `{new}`"),
            Applicability::Safe,
            vec![editor.replace_scalar(ty, new)?],
        );
    }
    match canonical(name) {
        "io.kestra.plugin.core.debug.Echo" => {
            // Log takes the same text as `message`, at the same `level`.
            let mut edits = vec![editor.replace_scalar(ty, "io.kestra.plugin.core.log.Log")?];
            if node.get("message").is_some() {
                return None;
            }
            if node.get("format").is_some() {
                edits.push(editor.rename_key(node, "format", "message")?);
            }
            super::fix(
                "replace `Echo` with `io.kestra.plugin.core.log.Log` (`format` becomes `message`)",
                Applicability::Safe,
                edits,
            )
        }
        "io.kestra.plugin.core.flow.Template" => {
            // A Subflow runs the flow as its own execution, where a Template inlined its tasks.
            if node.get("args").is_some() || node.get("flowId").is_some() {
                return None;
            }
            let mut edits = vec![editor.replace_scalar(ty, "io.kestra.plugin.core.flow.Subflow")?];
            edits.push(editor.rename_key(node, "templateId", "flowId")?);
            super::fix(
                "replace `Template` with `io.kestra.plugin.core.flow.Subflow` (`templateId` becomes `flowId`)",
                Applicability::Unsafe,
                edits,
            )
        }
        _ => None,
    }
}

pub const DBT_BUILD: &str = "io.kestra.plugin.dbt.cli.Build";

/// Build options `DbtCLI` has no property for: they belong in the command line.
const DBT_FLAGS: &[&str] = &[
    "fullRefresh",
    "select",
    "selector",
    "exclude",
    "target",
    "thread",
    "debug",
    "warnError",
    "failFast",
];

/// dbt `Build` → `DbtCLI` with `commands: [dbt build]`, as kestra-migrate does: `dbtPath` is
/// dropped, `dockerOptions.image` becomes `containerImage`. Build flags must be written into
/// the command by hand: with any of them set there is no fix.
pub fn dbt_build_fix(editor: &Editor<'_>, node: &Node) -> Option<Fix> {
    let ty = node.get("type")?;
    if DBT_FLAGS.iter().any(|k| node.get(k).is_some()) || node.get("commands").is_some() {
        return None;
    }
    let mut edits: Vec<Edit> = vec![editor.replace_scalar(ty, "io.kestra.plugin.dbt.cli.DbtCLI")?];
    let mut added = String::from("commands:\n  - dbt build");
    if let Some(docker) = node.get("dockerOptions") {
        let image = docker.get("image")?;
        if docker.as_map()?.len() != 1 || node.get("containerImage").is_some() {
            return None;
        }
        // The image as written (quotes kept), on one line.
        let image = editor.value_fragment(image).filter(|i| !i.contains('\n'))?;
        added.push_str(&format!("\ncontainerImage: {image}"));
        edits.extend(editor.remove_entry(node, "dockerOptions")?);
    }
    if node.get("dbtPath").is_some() {
        edits.extend(editor.remove_entry(node, "dbtPath")?);
    }
    edits.push(editor.insert_entry_text(node, after(node, "type"), &added)?);
    super::fix(
        "replace `Build` with `io.kestra.plugin.dbt.cli.DbtCLI` running `dbt build`",
        Applicability::Unsafe,
        edits,
    )
}
