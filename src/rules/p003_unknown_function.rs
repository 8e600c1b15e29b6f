use super::{Context, RuleMeta};
use crate::config::Edition;
use crate::diagnostic::{Diagnostic, Severity};
use crate::pebble::{self, names};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P003",
    name: "unknown-function",
    severity: Severity::Error,
    summary: "A call to a Pebble function that Kestra does not provide",
    docs: r#"## What it does
Reports a call `name(…)` in an expression when `name` is neither a function of Kestra's Pebble
engine (Pebble's `max`, `min`, `range`, Kestra's `now`, `secret`, `kv`, `read`, `fromJson`, …,
and the Enterprise functions) nor a macro defined in the same value, and suggests the closest
function name. With `edition = "oss"`, a call to an Enterprise function (`credential()`,
`appLink()`) is reported too.
Values Kestra does not render (descriptions, static properties) are not checked.

## Why
Kestra does not parse expressions when a flow is saved: a misspelt function (`secrets('KEY')`,
`fromJSON(…)`) is only found when an execution renders the value, and fails the task there.

## Example
```yaml
    message: "{{ fromJSON(outputs.api.body).id }}"       # P003: did you mean `fromJson`?
```
Use instead: `"{{ fromJson(outputs.api.body).id }}"`.
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
            let macros = pebble::macro_names(&s.template);
            for call in pebble::calls(&s.template) {
                if macros.contains(&call.name) {
                    continue;
                }
                if let Some(known) = names::function(call.name) {
                    if known.only_2_0 && !ctx.target.is_2_0() {
                        out.push(
                            META.diag(
                                format!("unknown function `{}`: it was added in Kestra 2.0", call.name),
                                s.file_span(call.name_span.clone()),
                            )
                            .with_label("not a Kestra 1.x function")
                            .with_help("this run lints for Kestra 1.3 (`target-version`); the function needs a 2.0 server"),
                        );
                    } else if known.origin == names::Origin::Enterprise
                        && ctx.edition == Some(Edition::Oss)
                    {
                        out.push(
                            META.diag(
                                format!("`{}` is an Enterprise Edition function", call.name),
                                s.file_span(call.name_span.clone()),
                            )
                            .with_label("not on the open-source server")
                            .with_help(format!(
                                "the open-source server has no `{}()`: {}",
                                call.name, known.note
                            )),
                        );
                    }
                    continue;
                }
                let candidates = names::FUNCTIONS
                    .iter()
                    .map(|f| -> &str { f.name })
                    .chain(macros.iter().copied());
                let help = match (
                    names::suggest(call.name, candidates),
                    names::filter(call.name),
                ) {
                    (Some(s), _) => format!("did you mean `{s}`?"),
                    (None, Some(_)) => format!(
                        "`{0}` is a filter, not a function: write `value | {0}`",
                        call.name
                    ),
                    (None, None) => {
                        "see the functions Kestra provides in its expression reference".to_string()
                    }
                };
                out.push(
                    META.diag(
                        format!("unknown function `{}`", call.name),
                        s.file_span(call.name_span.clone()),
                    )
                    .with_label("not a Kestra function")
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod version_tests {
    use crate::rules::test_support::{assert_fires_1_3, assert_silent};

    #[test]
    fn loop_outputs_is_a_2_0_function() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ loopOutputs(outputs.l.outputs, 'x') }}\"\n";
        assert_fires_1_3("P003", yaml, &[(6, 18)]);
        assert_silent("P003", yaml);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    const HEAD: &str =
        "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_on_the_name_with_a_suggestion() {
        let yaml = format!(
            "{HEAD}    message: \"{{{{ fromJSON(x).id }}}} {{{{ upper('a') }}}} {{{{ foo() }}}}\"\n"
        );
        assert_fires("P003", &yaml, &[(6, 18), (6, 39), (6, 56)]);
        let m = messages("P003", &yaml);
        assert_eq!(m[0], "unknown function `fromJSON`");
        let (_, diags) = crate::rules::test_support::lint(&yaml);
        let helps: Vec<_> = diags
            .iter()
            .filter(|d| d.code == "P003")
            .map(|d| d.help.clone().unwrap())
            .collect();
        assert_eq!(helps[0], "did you mean `fromJson`?");
        assert!(helps[1].contains("is a filter"), "{}", helps[1]);
    }

    #[test]
    fn enterprise_functions_follow_the_edition() {
        use crate::rules::test_support::{assert_fires_with, assert_silent_with};
        let yaml = format!("{HEAD}    message: \"{{{{ credential('gh') }}}}\"\n");
        assert_silent("P003", &yaml);
        assert_silent_with("edition = \"ee\"\n", "P003", &yaml);
        assert_fires_with("edition = \"oss\"\n", "P003", &yaml, &[(6, 18)]);
    }

    #[test]
    fn fires_in_a_block_scalar() {
        assert_fires(
            "P003",
            &format!("{HEAD}    message: |\n      first\n      echo {{{{ secrets('K') }}}}\n"),
            &[(8, 15)],
        );
    }

    /// Text that is not Pebble raises nothing from any Pebble rule.
    #[test]
    fn silent_on_text_that_is_not_pebble() {
        let yaml = format!(
            "{HEAD}    message: |\n      echo ${{HOME}} ${{VAR:-x}} {{ lone\n      {{\"a\": {{\"b\": [1, 2]}}}}\n      {{% raw %}}{{% include 'x' %}} {{{{ nope( }}}}{{% endraw %}}\n      awk '{{ print $1 }}'\n"
        );
        let (_, diags) = crate::rules::test_support::lint(&yaml);
        let pebble: Vec<_> = diags
            .iter()
            .filter(|d| d.code.starts_with('P') || d.code == "D004")
            .collect();
        assert!(pebble.is_empty(), "{pebble:#?}");
    }

    #[test]
    fn silent_in_values_kestra_does_not_render() {
        assert_silent(
            "P003",
            "id: f\nnamespace: n\ndescription: \"Call {{ myHelper() }}\"\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    description: \"{{ other() }}\"\n    message: hi\n",
        );
    }

    #[test]
    fn silent_on_known_functions_macros_and_methods() {
        assert_silent(
            "P003",
            &format!(
                "{HEAD}    message: \"{{% macro hi(n) %}}hi {{{{ n }}}}{{% endmacro %}}{{{{ hi('x') }}}} {{{{ now() }}}} {{{{ secret('K') }}}} {{{{ 'a'.toUpperCase() }}}} {{{{ json('{{}}') }}}}\"\n"
            ),
        );
    }
}
