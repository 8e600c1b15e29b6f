use super::{Context, RuleMeta};
use crate::config::Edition;
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
used as a task. Core names are fully known (the schema and the alias table), so an unknown
`io.kestra.plugin.core.*` or `io.kestra.core.*` type is an error (`io.kestra.core.tasks.outputs.OutputValues`:
did you mean `io.kestra.plugin.core.output.OutputValues`?), except the old script tasks
`io.kestra.core.tasks.scripts.*`, which plugin-scripts still ships, and Kestra's own test
plugins (`io.kestra.core.tasks.test.*`). With the embedded core schema,
plugin types outside the core are not errors (see S006); with a schema pulled from your server,
every unknown type is. For an input type, the help lists the valid ones. An Enterprise-only
input type (`REUSABLE_INPUTS`) follows `edition`: an error on `oss`, fine on `ee`, a warning
when the edition is not set.

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
    versions: super::Versions::All,
};

/// Input types only Enterprise Edition has (Kestra: "Input '<id>' of type <TYPE> is only
/// available in Enterprise Edition").
const ENTERPRISE_INPUT_TYPES: &[&str] = &["FORM", "REUSABLE_INPUTS"];

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
                FindingKind::UnknownType { name, what, .. } if *what == "input" && ENTERPRISE_INPUT_TYPES.contains(&name.as_str()) => {
                    let severity = match ctx.edition {
                        Some(Edition::Ee) => continue,
                        Some(Edition::Oss) => Severity::Error,
                        None => Severity::Warning,
                    };
                    let mut d = META
                        .diag(
                            format!("input type `{name}` is only available in Enterprise Edition"),
                            f.span.clone(),
                        )
                        .with_label("Enterprise Edition input type")
                        .with_help(if severity == Severity::Error {
                            "the open-source server refuses this flow; declare the inputs one by one"
                        } else {
                            "the open-source server refuses this flow; set `edition = \"ee\"` (or \"oss\") in the configuration"
                        });
                    d.severity = severity;
                    out.push(d);
                }
                FindingKind::UnknownType {
                    name,
                    what,
                    suggestion,
                    known,
                } => {
                    if super::removed_2_0::reported_type(ctx.target, name) {
                        continue; // K801 names the replacement
                    }
                    let d = META
                        .diag(format!("unknown {what} type `{name}`"), f.span.clone())
                        .with_label(format!("not a {what} type in {origin}"));
                    let valid = (!known.is_empty())
                        .then(|| format!("{what} types are {}", known.join(", ")));
                    let help = match (suggestion, valid) {
                        (Some(s), Some(v)) => format!("did you mean `{s}`? {v}"),
                        (Some(s), None) => format!("did you mean `{s}`?"),
                        (None, Some(v)) => v,
                        (None, None) => "check the spelling; `kestra-lint schema info` lists where the known types come from".to_string(),
                    };
                    out.push(d.with_help(help));
                }
                FindingKind::TaskInOutputs { name } => out.push(
                    META.diag(
                        format!("`{name}` is a task, placed under the flow's `outputs`"),
                        f.span.clone(),
                    )
                    .with_label("flow outputs are values, not tasks")
                    .with_help(
                        "move the task under `tasks`; a flow output is `id`, `type` (STRING, JSON, …) and `value: \"{{ outputs.<task>.<output> }}\"`",
                    ),
                ),
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
        let (_, diags) = crate::rules::test_support::lint(yaml);
        let help = diags[0].help.clone().unwrap_or_default();
        assert!(
            help.starts_with("did you mean `STRING`? input types are "),
            "{help}"
        );
        assert!(help.contains("BOOL") && help.contains("SELECT"), "{help}");
    }

    #[test]
    fn fires_on_unknown_old_core_names() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: o\n    type: io.kestra.core.tasks.outputs.OutputValues\n  - id: h\n    type: io.kestra.core.tasks.http.Http\n";
        assert_fires("S005", yaml, &[(5, 11), (7, 11)]);
        let (_, diags) = crate::rules::test_support::lint(yaml);
        let helps: Vec<String> = diags
            .iter()
            .filter(|d| d.code == "S005")
            .map(|d| d.help.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            helps[0],
            "did you mean `io.kestra.plugin.core.output.OutputValues`?"
        );
        assert_silent("S006", yaml);
    }

    #[test]
    fn enterprise_input_types_follow_the_edition() {
        use crate::diagnostic::Severity;
        use crate::rules::test_support::{lint_with, settings};
        let yaml = "id: f\nnamespace: n\ninputs:\n  - id: shared\n    type: REUSABLE_INPUTS\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
        let severity = |config: &str| {
            let (_, diags) = lint_with(&settings(config), "test.yml", yaml);
            diags
                .iter()
                .filter(|d| d.code == "S005")
                .map(|d| d.severity)
                .collect::<Vec<_>>()
        };
        assert_eq!(severity(""), [Severity::Warning]);
        assert_eq!(severity("edition = \"oss\"\n"), [Severity::Error]);
        assert_eq!(severity("edition = \"ee\"\n"), []);
    }

    /// plugin-scripts still ships the old core script tasks; Kestra's tests have test plugins.
    #[test]
    fn silent_on_core_named_plugin_types() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: b\n    type: io.kestra.core.tasks.scripts.Bash\n    commands: [echo]\n  - id: t\n    type: io.kestra.core.tasks.test.Read\n";
        assert_silent("S005", yaml);
    }

    #[test]
    fn one_error_for_a_task_under_flow_outputs() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\noutputs:\n  - id: out\n    type: io.kestra.plugin.core.output.OutputValues\n    values:\n      a: b\n  - id: ok\n    type: STRING\n    value: x\n";
        let (_, diags) = crate::rules::test_support::lint(yaml);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["S005"], "{diags:#?}");
        assert_eq!(
            diags[0].message,
            "`io.kestra.plugin.core.output.OutputValues` is a task, placed under the flow's `outputs`"
        );
    }

    #[test]
    fn silent_on_old_core_aliases() {
        assert_silent("S005", "id: f\nnamespace: n\ntasks:\n  - id: o\n    type: io.kestra.core.tasks.debugs.Return\n    format: x\n");
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
