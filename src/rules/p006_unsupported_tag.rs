use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::pebble::names::{self, TagStatus};
use crate::pebble::{Node, TagKind};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "P006",
    name: "unsupported-tag",
    severity: Severity::Error,
    summary: "A `{% tag %}` that Kestra removed from Pebble or that does not exist",
    docs: r#"## What it does
Reports a `{% name … %}` tag that Kestra's Pebble engine does not have: the Pebble tags Kestra
removes (`include`, `import`, `from`, `extends`, `embed`, `autoescape`, `flush`, `parallel`,
`cache`) and names that are no tag at all, with the closest tag name when there is one. The
available tags are `if`/`elseif`/`else`, `for`, `set`, `block`, `filter`, `macro`, `verbatim` and
`raw`, with their `end…` tags.
Values Kestra does not render (descriptions, static properties) are not checked.

## Why
Kestra renders each property on its own, with no template files to include or extend; Pebble
fails on a tag it does not know, but only when an execution renders the value.

## Example
```yaml
    message: "{% include 'header' %} {{ inputs.name }}"    # P006
```
Use a flow variable or a namespace file (`{{ read('header.txt') }}`) instead.
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
            for node in &s.template.nodes {
                let Node::Tag {
                    name,
                    name_span,
                    kind: TagKind::Unknown,
                    ..
                } = node
                else {
                    continue;
                };
                // `{% endautoescape %}` closes a tag already reported.
                let closes_removed = name
                    .strip_prefix("end")
                    .and_then(names::tag)
                    .is_some_and(|t| t.status == TagStatus::Removed);
                if closes_removed {
                    continue;
                }
                let span = s.file_span(name_span.clone());
                let diag = match names::tag(name) {
                    Some(t) if t.status == TagStatus::Removed => META
                        .diag(format!("Kestra removed the `{name}` tag"), span)
                        .with_label("not available in Kestra")
                        .with_help(
                            "Kestra renders each value on its own: use a flow variable, a \
                                 macro or a namespace file (`read('…')`) instead",
                        ),
                    _ => {
                        let supported = names::TAGS
                            .iter()
                            .filter(|t| t.status == TagStatus::Supported)
                            .map(|t| t.name);
                        let help = match names::suggest(name, supported) {
                            Some(t) => format!("did you mean `{t}`?"),
                            None => "Kestra's tags are if, for, set, block, filter, macro, \
                                     verbatim and raw"
                                .to_string(),
                        };
                        META.diag(format!("unknown tag `{name}`"), span)
                            .with_label("not a Pebble tag")
                            .with_help(help)
                    }
                };
                out.push(diag);
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
    fn fires_on_removed_and_unknown_tags() {
        let yaml = format!(
            "{HEAD}    message: |\n      {{% include 'x' %}}\n      {{% autoescape %}}a{{% endautoescape %}}\n      {{% iff x %}}b{{% endif %}}\n"
        );
        assert_fires("P006", &yaml, &[(7, 10), (8, 10), (9, 10)]);
        assert_eq!(
            messages("P006", &yaml),
            [
                "Kestra removed the `include` tag",
                "Kestra removed the `autoescape` tag",
                "unknown tag `iff`"
            ]
        );
    }

    #[test]
    fn silent_on_supported_tags_and_raw_text() {
        assert_silent(
            "P006",
            &format!(
                "{HEAD}    message: |\n      {{% set a = 1 %}}{{% for i in [1] %}}{{{{ i }}}}{{% endfor %}}\n      {{% raw %}}{{% include 'x' %}}{{% endraw %}}\n"
            ),
        );
    }
}
