use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K803",
    name: "changed-default",
    severity: Severity::Warning,
    summary: "A property left to a default that Kestra 2.0 changed (`local.Delete` `recursive`)",
    docs: r#"## What it does
On the Kestra 2.0 target, reports a task that leaves unset a property whose default 2.0
changed, so the same flow does something else after the upgrade:
- `io.kestra.plugin.fs.local.Delete` without `recursive`: Kestra 1.x deleted folders with their
  content, 2.0's default is `recursive: false`.

## Why
The flow still saves and runs on 2.0, but a Delete of a folder that is not empty no longer
removes it.

## Example
```yaml
  - id: clean
    type: io.kestra.plugin.fs.local.Delete     # K803
    from: /data/tmp
```
Fixed (`--fix`, safe: it keeps what the task did on 1.x, as kestra-migrate does):
```yaml
  - id: clean
    type: io.kestra.plugin.fs.local.Delete
    from: /data/tmp
    recursive: true
```
"#,
    fixable: true,
    enabled_by_default: true,
    versions: super::Versions::Only2_0,
};

const LOCAL_DELETE: &str = "io.kestra.plugin.fs.local.Delete";

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for (_, task) in flow.tasks_of_type(&[LOCAL_DELETE]) {
            if task.node.get("recursive").is_some() {
                continue;
            }
            let Some(ty) = task.type_node() else { continue };
            let mut d = META
                .diag(
                    "`recursive` defaults to false in Kestra 2.0 (1.x deleted folders recursively)",
                    ty.span.clone(),
                )
                .with_label("no `recursive`")
                .with_help(
                    "set `recursive: true` to keep the 1.x behaviour, or `recursive: false`",
                );
            let editor = crate::yaml::edit::Editor::new(&ctx.source.text, ctx.doc);
            if let Some(fix) = crate::rewrite::props::local_delete_recursive(&editor, task.node) {
                d = d.with_fix(fix.with_targets([task.pointer.clone()]));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, assert_silent_1_3, lint};

    const DELETE: &str = "id: f\nnamespace: n\ntasks:\n  - id: d\n    type: io.kestra.plugin.fs.local.Delete\n    from: /data/x\n";

    #[test]
    fn fires_without_recursive_with_a_safe_fix() {
        assert_fires("K803", DELETE, &[(5, 11)]);
        assert_silent_1_3("K803", DELETE);
        let (_, diags) = lint(DELETE);
        let fix = diags
            .iter()
            .find(|d| d.code == "K803")
            .unwrap()
            .fix
            .clone()
            .unwrap();
        assert_eq!(fix.applicability, crate::diagnostic::Applicability::Safe);
        assert_eq!(
            crate::fix::apply(DELETE, &[fix.edits]).0,
            format!("{DELETE}    recursive: true\n")
        );
    }

    #[test]
    fn silent_with_recursive() {
        assert_silent("K803", &format!("{DELETE}    recursive: false\n"));
    }
}
