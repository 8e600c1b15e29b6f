use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "S001",
    name: "unknown-property",
    severity: Severity::Error,
    summary: "A property the task, trigger or flow does not have",
    docs: r#"## What it does
Reports a key that the object's definition does not declare: a task property that its plugin
does not have, a misspelt flow key, an unknown key in a retry or a condition. Suggests the
closest known property.

## Why
Kestra reads flows strictly and refuses unknown properties (`Unrecognized field "x" … not marked
as ignorable`), although the JSON schema it serves is open — so generic schema validators never
report them.

## Example
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    mesage: Hello          # S001: did you mean `message`?
```
Use instead: `message: Hello`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Keys Kestra 2.0 removed are K802, which names the replacement.
        let removed = super::removed_2_0::reported_key_spans(ctx.target, ctx.flow);
        for f in ctx.schema_findings {
            if removed.contains(&f.span) {
                continue;
            }
            let FindingKind::UnknownProperty {
                name,
                owner,
                suggestion,
                known,
            } = &f.kind
            else {
                continue;
            };
            let mut d = META
                .diag(
                    format!("unknown property `{name}` for {owner}"),
                    f.span.clone(),
                )
                .with_label(format!("not a property of {owner}"));
            d = match suggestion {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => {
                    let mut names: Vec<&str> = known.iter().map(String::as_str).collect();
                    names.sort_unstable();
                    let shown = names
                        .iter()
                        .take(15)
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>();
                    let more = if names.len() > 15 { ", …" } else { "" };
                    d.with_help(format!("known properties: {}{more}", shown.join(", ")))
                }
            };
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    #[test]
    fn fires_on_task_and_flow_keys() {
        let yaml = "id: f\nnamespace: n\ntitle: x\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    mesage: hi\n";
        assert_fires("S001", yaml, &[(3, 1), (7, 5)]);
        assert_eq!(
            messages("S001", yaml)[1],
            "unknown property `mesage` for `Log` task"
        );
    }

    #[test]
    fn silent_on_known_properties_and_free_form_maps() {
        assert_silent(
            "S001",
            "id: f\nnamespace: n\nvariables:\n  anything: 1\nlabels:\n  team: data\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    level: WARN\n",
        );
    }
}
