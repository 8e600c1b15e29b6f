use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema::FindingKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "S003",
    name: "invalid-type",
    severity: Severity::Error,
    summary: "A value of the wrong type",
    docs: r#"## What it does
Reports a value whose type does not fit the property: a list where a string is expected, a word
where an integer is expected. Kestra's scalar coercions are allowed (`8080` for a string, `"3"`
for an integer), and a dynamic property accepts a `{{ … }}` expression whatever its type.

## Why
Kestra refuses the flow (`Cannot deserialize value of type …`).

## Example
```yaml
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: many         # S003: expected an integer
```
Use instead: `concurrent: 4`.
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
        for f in ctx.schema_findings {
            let FindingKind::InvalidType { expected, found } = &f.kind else {
                continue;
            };
            let property = property_name(&f.pointer);
            out.push(
                META.diag(
                    format!("invalid value for `{property}`: expected {expected}, found {found}"),
                    f.span.clone(),
                )
                .with_label(format!("this is {found}"))
                .with_help(format!("write {expected} here")),
            );
        }
    }
}

/// The last named segment of a pointer (`/tasks/0/retry/maxAttempt` → `maxAttempt`).
pub fn property_name(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .find(|s| s.parse::<usize>().is_err())
        .unwrap_or("")
        .replace("~1", "/")
        .replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent, messages};

    #[test]
    fn fires_on_wrong_types() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: p\n    type: io.kestra.plugin.core.flow.Parallel\n    concurrent: many\n    tasks:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: hi\n";
        assert_fires("S003", yaml, &[(6, 17)]);
        assert!(messages("S003", yaml)[0]
            .starts_with("invalid value for `concurrent`: expected an integer"));
    }

    #[test]
    fn silent_on_coercible_scalars_and_expressions() {
        let yaml = "id: f\nnamespace: n\ntasks:\n  - id: p\n    type: io.kestra.plugin.core.flow.Parallel\n    concurrent: \"4\"\n    tasks:\n      - id: t\n        type: io.kestra.plugin.core.log.Log\n        message: 42\n";
        assert_silent("S003", yaml);
    }
}
