use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::pebble::{self, names};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P005",
    name: "unknown-test",
    severity: Severity::Error,
    summary: "A Pebble test (`x is name`) that Kestra does not provide",
    docs: r#"## What it does
Reports a test `value is name` (or `is not name`) whose name is not one of the tests Kestra's
Pebble engine provides — `defined`, `empty`, `null`, `even`, `odd`, `iterable`, `map`, `json` —
and suggests the closest one.
Values Kestra does not render (descriptions, static properties) are not checked.

## Why
Kestra does not parse expressions when a flow is saved: an unknown test is only found when an
execution renders the value, and fails the task there.

## Example
```yaml
    runIf: "{{ inputs.date is not undefined }}"      # P005
```
Use instead: `"{{ inputs.date is defined }}"`.
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
        for s in ctx.templates {
            if !s.is_rendered(ctx.schema_findings) {
                continue;
            }
            for test in pebble::tests(&s.template) {
                let name = test.name;
                if names::test(name).is_some() {
                    continue;
                }
                let help = match names::suggest(name, names::names(names::TESTS)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "Kestra's tests are {}",
                        names::names(names::TESTS)
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(
                    META.diag(
                        format!("unknown test `{name}`"),
                        s.file_span(test.name_span.clone()),
                    )
                    .with_label("not a Kestra test")
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const HEAD: &str =
        "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_on_the_test_name() {
        let yaml = format!(
            "{HEAD}    message: \"{{% if x is not undefined %}}a{{% endif %}}{{{{ y is defind }}}}\"\n"
        );
        assert_fires("P005", &yaml, &[(6, 30), (6, 62)]);
        assert_eq!(
            messages("P005", &yaml),
            ["unknown test `undefined`", "unknown test `defind`"]
        );
    }

    #[test]
    fn silent_on_known_tests() {
        assert_silent(
            "P005",
            &format!(
                "{HEAD}    message: \"{{{{ x is defined }}}} {{{{ y is not null }}}} {{{{ z is json }}}} {{{{ 2 is even }}}}\"\n"
            ),
        );
    }
}
