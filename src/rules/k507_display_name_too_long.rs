use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K507",
    name: "display-name-too-long",
    severity: Severity::Error,
    summary: "An input's `displayName` is longer than 64 characters",
    docs: r#"## What it does
Reports an input `displayName` longer than 64 characters.

## Why
Kestra refuses the flow: `displayName: size must be between 0 and 64` (`@Size(max = 64)`, Kestra
1.x and 2.0). The display name is a label in the execution form; put longer text in
`description`.

## Example
```yaml
  - id: region
    type: STRING
    displayName: The cloud region where the nightly export job writes its files   # K507
```
Use instead: `displayName: Export region` and the rest in `description`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

const MAX: usize = 64;

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        for input in &flow.inputs {
            let Some(node) = input.node.get("displayName") else {
                continue;
            };
            let Some(text) = node.scalar_text() else {
                continue;
            };
            let len = text.chars().count();
            if len > MAX {
                out.push(
                    META.diag(
                        format!("displayName is {len} characters long; the maximum is {MAX}"),
                        node.span.clone(),
                    )
                    .with_label("too long")
                    .with_help("shorten it and move the details to `description`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    fn flow(name: &str) -> String {
        format!("id: f\nnamespace: n\ninputs:\n  - id: a\n    type: STRING\n    displayName: {name}\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n")
    }

    #[test]
    fn fires_over_64() {
        assert_fires("K507", &flow(&"é".repeat(65)), &[(6, 18)]);
    }

    #[test]
    fn silent_at_64() {
        assert_silent("K507", &flow(&"é".repeat(64)));
    }
}
