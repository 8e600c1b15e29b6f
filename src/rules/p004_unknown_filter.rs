use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::pebble::{self, names};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P004",
    name: "unknown-filter",
    severity: Severity::Error,
    summary: "A Pebble filter that Kestra does not provide, or one it removed",
    docs: r#"## What it does
Reports a filter (`value | name`, or `{% filter name %}`) that Kestra's Pebble engine does not
provide, and suggests the closest filter name. Pebble filters that Kestra removes are named as
such: `escape` and `raw` (Kestra does no HTML escaping, so they are not needed) and
`numberformat`, which Kestra renamed `numberFormat`.
Values Kestra does not render (descriptions, static properties) are not checked.

## Why
Kestra does not parse expressions when a flow is saved: an unknown filter is only found when an
execution renders the value, and fails the task there.

## Example
```yaml
    message: "{{ inputs.name | capitalise }}"         # P004: did you mean `capitalize`?
    value: "{{ outputs.sum.value | numberformat('#.##') }}"   # P004: renamed `numberFormat`
```
Use instead: `"{{ inputs.name | capitalize }}"`, `numberFormat('#.##')`.
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
            for filter in pebble::filters(&s.template) {
                let name = filter.name;
                if names::filter(name).is_some() {
                    continue;
                }
                let span = s.file_span(filter.name_span.clone());
                let diag = if let Some(removed) = names::removed_filter(name) {
                    let help = match removed.replacement {
                        Some(r) => format!("use `{r}`"),
                        None => "leave it out: Kestra does not escape output".to_string(),
                    };
                    META.diag(format!("Kestra removed the `{name}` filter"), span)
                        .with_label(removed.note)
                        .with_help(help)
                } else {
                    // A deprecated name is suggested by its replacement (`jsonn` → `toJson`).
                    let suggestion = names::suggest(name, names::names(names::FILTERS))
                        .map(|s| names::filter(s).and_then(|f| f.replacement).unwrap_or(s));
                    let help = match (suggestion, names::function(name)) {
                        (Some(s), _) => format!("did you mean `{s}`?"),
                        (None, Some(_)) => {
                            format!("`{name}` is a function, not a filter: write `{name}(…)`")
                        }
                        (None, None) => {
                            "see the filters Kestra provides in its expression reference"
                                .to_string()
                        }
                    };
                    META.diag(format!("unknown filter `{name}`"), span)
                        .with_label("not a Kestra filter")
                        .with_help(help)
                };
                out.push(diag);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, lint};

    const HEAD: &str =
        "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n";

    #[test]
    fn fires_on_unknown_and_removed_filters() {
        let yaml = format!(
            "{HEAD}    message: \"{{{{ x | capitalise }}}} {{{{ 1.5 | numberformat('#') }}}} {{{{ y | escape }}}}\"\n"
        );
        assert_fires("P004", &yaml, &[(6, 22), (6, 45), (6, 73)]);
        let (_, diags) = lint(&yaml);
        let got: Vec<_> = diags
            .iter()
            .filter(|d| d.code == "P004")
            .map(|d| (d.message.as_str(), d.help.clone().unwrap()))
            .collect();
        assert_eq!(
            got[0],
            (
                "unknown filter `capitalise`",
                "did you mean `capitalize`?".into()
            )
        );
        assert_eq!(
            got[1],
            (
                "Kestra removed the `numberformat` filter",
                "use `numberFormat`".into()
            )
        );
        assert_eq!(got[2].0, "Kestra removed the `escape` filter");
    }

    #[test]
    fn fires_in_a_filter_tag() {
        assert_fires(
            "P004",
            &format!("{HEAD}    message: '{{% filter shout %}}hi{{% endfilter %}}'\n"),
            &[(6, 25)],
        );
    }

    #[test]
    fn silent_on_known_filters() {
        assert_silent(
            "P004",
            &format!(
                "{HEAD}    message: \"{{{{ x | upper | default('a') | jq('.a') | first | toJson | json }}}}{{% filter lower %}}A{{% endfilter %}}\"\n"
            ),
        );
    }
}
