use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "S005",
    name: "unknown-type",
    severity: Severity::Error,
    summary: "A `type` that does not exist, or names the wrong kind of plugin",
    docs: r#"## What it does
Reports a `type` that the schema does not know, with the closest known type: a misspelt core
task (`io.kestra.plugin.core.log.Logg`), an unknown input type (`STIRNG`), or a trigger type
used as a task. With the embedded core schema, plugin types outside `io.kestra.plugin.core` are
not errors (see S006); with a schema pulled from your server, every unknown type is.

## Why
Kestra refuses the flow (`Invalid type: …`, `No plugin registered for the defined type`).

## Example
```yaml
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Logg     # S005: did you mean `io.kestra.plugin.core.log.Log`?
```
"#,
    fixable: false,
    enabled_by_default: true,
};

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let origin = ctx
            .schema
            .map(|s| s.primary().origin.describe())
            .unwrap_or_default();
        for f in ctx.schema_findings {
            match &f.kind {
                FindingKind::UnknownType {
                    name,
                    what,
                    suggestion,
                } => {
                    let d = META
                        .diag(format!("unknown {what} type `{name}`"), f.span.clone())
                        .with_label(format!("not a {what} type in {origin}"));
                    out.push(match suggestion {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(
                            "check the spelling; `kestra-lint schema info` lists where the known types come from",
                        ),
                    });
                }
                FindingKind::WrongKind { name, what } => out.push(
                    META.diag(format!("`{name}` is not a {what} type"), f.span.clone())
                        .with_label(format!("expected a {what} here"))
                        .with_help(format!(
                            "use a {what} type here, or move this item to the right list"
                        )),
                ),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    #[test]
    fn fires_on_core_typo_input_type_and_wrong_kind() {
        let yaml = "id: f\nnamespace: n\ninputs:\n  - id: a\n    type: STIRNG\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Logg\n    message: hi\n  - id: s\n    type: io.kestra.plugin.core.trigger.Schedule\n";
        assert_fires("S005", yaml, &[(5, 11), (8, 11), (11, 11)]);
        assert_eq!(messages("S005", yaml)[0], "unknown input type `STIRNG`");
    }

    #[test]
    fn a_type_const_shared_by_two_unions_is_the_right_kind_in_each() {
        // `version` names both a KV and a namespace-file purge behaviour.
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: kv\n    type: io.kestra.plugin.core.kv.PurgeKV\n    behavior:\n      type: version\n      keepAmount: 2\n  - id: files\n    type: io.kestra.plugin.core.namespace.PurgeFiles\n    behavior:\n      type: version\n      keepAmount: 2\n";
        assert_silent("S005", yaml);
    }

    #[test]
    fn silent_on_plugin_types_outside_core() {
        assert_silent("S005", "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.scripts.python.Script\n    script: print(1)\n");
    }
}
