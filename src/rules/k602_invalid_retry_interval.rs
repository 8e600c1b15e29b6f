use super::{Context, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::flow::values::duration_nanos;
use crate::yaml::{Entry, Node};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "K602",
    name: "invalid-retry-interval",
    severity: Severity::Error,
    summary: "A retry's intervals are not below its `maxDuration`/`maxInterval`",
    docs: r#"## What it does
Compares the durations of each `retry` (of a task, a trigger or the flow), per retry type:

| type | rule |
|---|---|
| `constant` | `interval` < `maxDuration` |
| `exponential` | `interval` < `maxDuration`, `interval` < `maxInterval` |
| `random` | `minInterval` < `maxDuration`, `maxInterval` < `maxDuration`, `minInterval` < `maxInterval` |

Durations are ISO-8601 (`PT30S`, `PT1H`, `P1D`) or numbers of seconds; expressions are skipped.

## Why
Kestra refuses the flow: `'interval' must be less than 'maxDuration' but is <interval>`, `'interval'
must be less than 'maxInterval' but is …`, `'minInterval' must be less than 'maxDuration' …`,
`'maxInterval' must be less than 'maxDuration' …`, `'minInterval' must be less than 'maxInterval'
…` (the Constant/Exponential/RandomRetryValidator, Kestra 1.x and 2.0). A first wait as long as the
whole retry budget means no retry can ever happen.

## Example
```yaml
    retry:
      type: constant
      interval: PT10M          # K602: 'interval' must be less than 'maxDuration'
      maxDuration: PT5M
```
Use instead: `interval: PT1M`.
"#,
    fixable: false,
    enabled_by_default: true,
    versions: super::Versions::All,
};

fn check_retry(retry: &Node, out: &mut Vec<Diagnostic>) {
    let Some(ty) = retry.get_str("type") else {
        return;
    };
    let get = |key: &str| -> Option<(&Entry, i128)> {
        let e = retry.entry(key)?;
        Some((e, duration_nanos(&e.value)?))
    };
    // (smaller, larger): smaller must be strictly less than larger.
    let pairs: &[(&str, &str)] = match ty {
        "constant" => &[("interval", "maxDuration")],
        "exponential" => &[("interval", "maxDuration"), ("interval", "maxInterval")],
        "random" => &[
            ("minInterval", "maxDuration"),
            ("maxInterval", "maxDuration"),
            ("minInterval", "maxInterval"),
        ],
        _ => return,
    };
    for (small, large) in pairs {
        let (Some((s, sv)), Some((l, lv))) = (get(small), get(large)) else {
            continue;
        };
        if sv < lv {
            continue;
        }
        let written = s.value.scalar_text().unwrap_or_default();
        out.push(
            META.diag(
                format!("'{small}' must be less than '{large}' but is {written}"),
                s.value.span.clone(),
            )
            .with_label(format!("not less than `{large}`"))
            .with_secondary(l.value.span.clone(), format!("`{large}`"))
            .with_help(format!(
                "make `{small}` shorter than `{large}`, or raise `{large}`"
            )),
        );
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(flow) = ctx.flow else { return };
        let owners = std::iter::once(flow.root)
            .chain(flow.tasks.iter().map(|t| t.node))
            .chain(flow.triggers.iter().map(|t| t.node));
        for owner in owners {
            if let Some(retry) = owner.get("retry") {
                check_retry(retry, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_fires, assert_silent};

    fn flow(retry: &str) -> String {
        format!("id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: m\n    retry:\n{retry}")
    }

    #[test]
    fn fires_per_retry_type() {
        assert_fires(
            "K602",
            &flow("      type: constant\n      interval: PT10M\n      maxDuration: PT5M\n"),
            &[(9, 17)],
        );
        assert_fires(
            "K602",
            &flow("      type: exponential\n      interval: PT1H\n      maxInterval: PT1M\n      maxAttempts: 3\n"),
            &[(9, 17)],
        );
        assert_fires(
            "K602",
            &flow("      type: random\n      minInterval: PT1H\n      maxInterval: PT1M\n      maxDuration: PT30M\n"),
            &[(9, 20), (9, 20)],
        );
    }

    #[test]
    fn silent_when_ordered_or_dynamic() {
        assert_silent(
            "K602",
            &flow("      type: constant\n      interval: PT1M\n      maxDuration: PT1H\n"),
        );
        assert_silent(
            "K602",
            &flow("      type: constant\n      interval: 900\n      maxDuration: \"{{ vars.max }}\"\n"),
        );
    }
}
