use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::yaml::{Node, NodeKind, ScalarValue};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "B001",
    name: "plaintext-secret",
    severity: Severity::Warning,
    summary: "A credential written in the flow instead of read from a secret",
    docs: r#"## What it does
Reports a property whose name says it holds a credential (`password`, `token`, `apiKey`,
`secretKey`, `accessKeyId`, `privateKey`, `clientSecret`, …) when its value is a literal rather
than an expression such as `{{ secret('…') }}` or `{{ kv('…') }}`.

## Why
Flow source is stored in Kestra's database, shown in the UI, exported and committed to Git:
anyone who can read the flow can read the credential. Kestra's `secret()` function keeps it in
the secret backend and masks it in logs.

## Example
```yaml
tasks:
  - id: query
    type: io.kestra.plugin.jdbc.postgresql.Query
    url: jdbc:postgresql://db:5432/app
    username: app
    password: hunter2          # B001
```
Use instead:
```yaml
    password: "{{ secret('POSTGRES_PASSWORD') }}"
```
Values that are expressions (`{{ … }}`) or deploy-time placeholders (`${…}`) are not reported.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

/// Names (lower case, without `_` and `-`) that mark a credential when a key ends with them.
const SECRET_SUFFIXES: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "secretkey",
    "accesskey",
    "accesskeyid",
    "privatekey",
    "clientsecret",
    "connectionstring",
    "sastoken",
];

/// Does a property name say it holds a credential?
pub fn is_secret_name(key: &str) -> bool {
    let norm: String = key
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_SUFFIXES.iter().any(|s| norm.ends_with(s))
}

/// A literal credential: a non-empty string or number without any expression or placeholder.
fn is_literal(value: &Node) -> bool {
    let NodeKind::Scalar(s) = &value.kind else {
        return false;
    };
    let text = s.text.trim();
    matches!(
        s.value,
        ScalarValue::Str | ScalarValue::Int(_) | ScalarValue::Float(_)
    ) && !text.is_empty()
        && !text.contains("{{")
        && !text.contains("{%")
        && !text.contains("${")
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let mut stack = vec![flow.root];
        while let Some(node) = stack.pop() {
            match &node.kind {
                NodeKind::Map(entries) => {
                    for e in entries.iter().rev() {
                        let Some(key) = e.key_str() else { continue };
                        if is_secret_name(key) && is_literal(&e.value) {
                            out.push(
                                META.diag(
                                    format!("`{key}` holds a plaintext credential"),
                                    e.value.span.clone(),
                                )
                                .with_label("literal credential")
                                .with_help(format!(
                                    "store it as a secret and write `{key}: \"{{{{ secret('NAME') }}}}\"`"
                                )),
                            );
                        }
                        stack.push(&e.value);
                    }
                }
                NodeKind::Seq(items) => stack.extend(items.iter().rev()),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;
    use crate::rules::test_support::{assert_fires, assert_silent};

    #[test]
    fn names_that_say_secret() {
        for yes in [
            "password",
            "apiKey",
            "api_key",
            "secretKey",
            "accessKeyId",
            "privateKey",
            "token",
            "clientSecret",
            "GITHUB_TOKEN",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "username",
            "tokenUrl",
            "maxTokens",
            "secretName",
            "keyId",
            "passwordless",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }

    #[test]
    fn fires_on_literal_credentials() {
        assert_fires(
            "B001",
            r#"
id: f
namespace: company.team
variables:
  api_token: abc123
tasks:
  - id: q
    type: io.kestra.plugin.jdbc.postgresql.Query
    username: app
    password: hunter2
    auth:
      apiKey: 12345
"#,
            &[(5, 14), (10, 15), (12, 15)],
        );
    }

    #[test]
    fn silent_on_secret_and_kv_expressions() {
        assert_silent(
            "B001",
            r#"
id: f
namespace: company.team
tasks:
  - id: q
    type: io.kestra.plugin.jdbc.postgresql.Query
    password: "{{ secret('PG_PASSWORD') }}"
    apiKey: "{{ kv('API_KEY') }}"
    token: ${github_token}
    secretKey:
    accessKeyId: "{{ inputs.key_id }}"
"#,
        );
    }
}
