//! Writing a string as a YAML scalar that reads back as exactly that string, in a given style.

use super::super::{resolve_plain, ScalarStyle, ScalarValue};

/// `value` written plainly, if a plain scalar reads back as this string. `flow`: inside `[…]`
/// or `{…}`, where `,` and brackets end a plain scalar.
pub fn plain(value: &str, flow: bool) -> Option<String> {
    plain_as(value, flow, true)
}

/// [`plain`], with `string`: the value must read back as a string (not `true`, `3`, `null`);
/// otherwise any resolution is accepted (the caller replaces a number with a number).
pub(super) fn plain_as(value: &str, flow: bool, string: bool) -> Option<String> {
    let first = value.chars().next()?;
    let ok = value.trim() == value
        && !value.chars().any(|c| c.is_control())
        && !"?:,[]{}#&*!|>'\"%@`".contains(first)
        && !(first == '-' && (value.len() == 1 || value[1..].starts_with(' ')))
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !(flow && value.contains([',', '[', ']', '{', '}']))
        && !(string && resolve_plain(value) != ScalarValue::Str);
    ok.then(|| value.to_string())
}

/// `value` in single quotes (`'` doubled); `None` when it holds a line break or a control
/// character, which single quotes cannot write.
pub fn single_quoted(value: &str) -> Option<String> {
    if value.chars().any(|c| c.is_control()) {
        return None;
    }
    Some(format!("'{}'", value.replace('\'', "''")))
}

/// `value` in double quotes with YAML escapes: always possible.
pub fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else {
                    out.push_str(&format!("\\u{n:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string as a one-line YAML scalar: plain when that reads back as the same string, else
/// double-quoted. For keys and values a fix writes anew.
pub fn scalar(value: &str) -> String {
    plain(value, false).unwrap_or_else(|| double_quoted(value))
}

/// [`scalar`] for a value inside a flow collection.
pub fn flow_scalar(value: &str) -> String {
    plain(value, true).unwrap_or_else(|| double_quoted(value))
}

/// `value` in `style` when that style can write it (a block style is handled by the editor),
/// else the nearest style that can: plain → double-quoted, single → double.
pub(super) fn in_style(value: &str, style: ScalarStyle, flow: bool, string: bool) -> String {
    match style {
        ScalarStyle::Plain => plain_as(value, flow, string).unwrap_or_else(|| double_quoted(value)),
        ScalarStyle::SingleQuoted => single_quoted(value).unwrap_or_else(|| double_quoted(value)),
        _ => double_quoted(value),
    }
}

/// A JSON value as a YAML fragment (see [`super`]): block style, or flow style on one line
/// with `flow`. For values a fix builds from scratch (`{type: BASIC, username: …}`).
pub fn render(value: &serde_json::Value, flow: bool) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if flow => flow_scalar(s),
        Value::String(s) => scalar(s),
        Value::Array(items) if flow || items.is_empty() => format!(
            "[{}]",
            items
                .iter()
                .map(|v| render(v, true))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) if flow || map.is_empty() => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", flow_scalar(k), render(v, true)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                let inner = render(v, false);
                let mut lines = inner.lines();
                let first = lines.next().unwrap_or("");
                let mut out = format!("- {first}");
                for l in lines {
                    out.push_str("\n  ");
                    out.push_str(l);
                }
                out
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let key = scalar(k);
                let inner = render(v, false);
                let nested = matches!(v, Value::Array(a) if !a.is_empty())
                    || matches!(v, Value::Object(o) if !o.is_empty());
                if nested {
                    let body: Vec<String> = inner.lines().map(|l| format!("  {l}")).collect();
                    format!("{key}:\n{}", body.join("\n"))
                } else {
                    format!("{key}: {inner}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_only_when_it_reads_back_as_the_string() {
        assert_eq!(
            plain("hello {{ x }}", false).as_deref(),
            Some("hello {{ x }}")
        );
        assert_eq!(plain("hello {{ x }}", true), None);
        for bad in [
            "true", "3", "null", "", " a", "a: b", "a #b", "- a", "{{ x }}", "'q", "a:",
        ] {
            assert_eq!(plain(bad, false), None, "{bad:?}");
        }
        assert_eq!(plain("-x", false).as_deref(), Some("-x"));
    }

    #[test]
    fn quoting() {
        assert_eq!(single_quoted("it's").as_deref(), Some("'it''s'"));
        assert_eq!(single_quoted("a\nb"), None);
        assert_eq!(double_quoted("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\x01\"");
        assert_eq!(scalar("{{ x }}"), "\"{{ x }}\"");
    }

    #[test]
    fn renders_json_as_block_or_flow() {
        let v = serde_json::json!({"type": "BASIC", "user": "{{ secret('u') }}", "tags": ["a", "b"], "n": {}});
        assert_eq!(
            render(&v, false),
            "type: BASIC\nuser: \"{{ secret('u') }}\"\ntags:\n  - a\n  - b\nn: {}"
        );
        assert_eq!(
            render(&v, true),
            "{type: BASIC, user: \"{{ secret('u') }}\", tags: [a, b], n: {}}"
        );
    }
}
