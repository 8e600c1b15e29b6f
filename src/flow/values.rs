//! Small readers over YAML values that several rules share: literals for the input checks,
//! ISO-8601 durations, Pebble detection, and spans of a piece of text inside a scalar.

use crate::diagnostic::Span;
use crate::facts::Literal;
use crate::yaml::{Node, NodeKind, ScalarValue};

/// Does this text hold a Pebble expression or tag (`{{` or `{%`)? Kestra skips such values in
/// its literal checks.
pub fn has_expression(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// The node as a literal for [`crate::facts::check_input_value`]. An alias reads as its name,
/// as Kestra reads it.
pub fn to_literal(node: &Node) -> Literal<'_> {
    match &node.kind {
        NodeKind::Scalar(s) => match s.value {
            ScalarValue::Null => Literal::Null,
            ScalarValue::Bool(b) => Literal::Bool(b),
            ScalarValue::Int(i) => Literal::Int(i),
            ScalarValue::Float(f) => Literal::Float(f),
            ScalarValue::Str => Literal::Str(&s.text),
        },
        NodeKind::Seq(items) => Literal::List(items.iter().map(to_literal).collect()),
        NodeKind::Map(_) => Literal::Map,
        NodeKind::Alias(name) => Literal::Str(name),
    }
}

/// Does any scalar under this node hold a Pebble expression?
pub fn node_has_expression(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.kind {
            NodeKind::Scalar(s) if has_expression(&s.text) => return true,
            NodeKind::Seq(items) => stack.extend(items),
            NodeKind::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    false
}

/// A `java.time.Duration` as Kestra reads it, in nanoseconds: an ISO-8601 text (`PT5M`,
/// `P1DT2H`, `-PT6H3M`, `PT0.5S`) or a number of seconds. `None` for anything else (an
/// expression, a typo: other rules or the server report those).
pub fn duration_nanos(node: &Node) -> Option<i128> {
    match &node.kind {
        NodeKind::Scalar(s) => match s.value {
            ScalarValue::Int(i) => Some(i128::from(i) * 1_000_000_000),
            ScalarValue::Float(f) if f.is_finite() => Some((f * 1e9) as i128),
            ScalarValue::Str => parse_iso_duration(&s.text),
            _ => None,
        },
        _ => None,
    }
}

/// `Duration.parse`: `[-+]P[nD][T[nH][nM][n[.f]S]]`, case-insensitive, each number signed.
pub fn parse_iso_duration(text: &str) -> Option<i128> {
    let upper = text.trim().to_ascii_uppercase();
    let (negative, rest) = match upper.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, upper.strip_prefix('+').unwrap_or(&upper)),
    };
    let rest = rest.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return None;
            }
            (d, Some(t))
        }
        None => (rest, None),
    };
    if days.is_empty() && time.is_none() {
        return None;
    }
    let mut total: i128 = 0;
    if !days.is_empty() {
        total += whole_number(days.strip_suffix('D')?)? * 86_400 * 1_000_000_000;
    }
    if let Some(mut t) = time {
        for (unit, scale) in [('H', 3_600i128), ('M', 60)] {
            if let Some(i) = t.find(unit) {
                total += whole_number(&t[..i])? * scale * 1_000_000_000;
                t = &t[i + 1..];
            }
        }
        if !t.is_empty() {
            total += seconds(t.strip_suffix('S')?)?;
        }
    }
    Some(if negative { -total } else { total })
}

fn whole_number(s: &str) -> Option<i128> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i128 = digits.parse().ok()?;
    Some(if s.starts_with('-') { -v } else { v })
}

/// `12`, `1.5`, `-0.25` seconds → nanoseconds (fraction up to 9 digits).
fn seconds(s: &str) -> Option<i128> {
    let (int, frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
    let negative = int.starts_with('-');
    let whole = if int == "-" || int == "+" {
        0
    } else {
        whole_number(int)?.abs()
    };
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: i128 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().ok()?
    };
    let v = whole * 1_000_000_000 + nanos;
    Some(if negative { -v } else { v })
}

/// `PT1H30M` style text of a duration in nanoseconds, for messages.
pub fn format_duration(nanos: i128) -> String {
    let negative = nanos < 0;
    let mut n = nanos.abs();
    let h = n / 3_600_000_000_000;
    n %= 3_600_000_000_000;
    let m = n / 60_000_000_000;
    n %= 60_000_000_000;
    let s = n / 1_000_000_000;
    let frac = n % 1_000_000_000;
    let mut out = String::from(if negative { "-PT" } else { "PT" });
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || frac > 0 || (h == 0 && m == 0) {
        if frac > 0 {
            let f = format!("{frac:09}");
            out.push_str(&format!("{s}.{}S", f.trim_end_matches('0')));
        } else {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

/// The span of `value[range]` inside a scalar node's source text (`source` is the whole file).
///
/// Plain, quoted and block scalars keep most text as written, so the piece is found in the
/// node's source slice: the n-th occurrence of the piece in the value maps to the n-th
/// occurrence in the source. When escapes or folding make the counts differ, the whole scalar
/// is returned instead.
pub fn sub_span(source: &str, node: &Node, range: std::ops::Range<usize>) -> Span {
    let whole = node.span.clone();
    let Some(value) = node.scalar_text() else {
        return whole;
    };
    let Some(needle) = value.get(range.clone()).filter(|n| !n.is_empty()) else {
        return whole;
    };
    let Some(src) = source.get(whole.clone()) else {
        return whole;
    };
    let starts = |hay: &str| -> Vec<usize> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(i) = hay[from..].find(needle) {
            out.push(from + i);
            from += i + hay[from + i..].chars().next().map_or(1, char::len_utf8);
        }
        out
    };
    let in_value = starts(value);
    let in_source = starts(src);
    match in_value.iter().position(|&i| i == range.start) {
        Some(k) if in_value.len() == in_source.len() => {
            let at = whole.start + in_source[k];
            at..at + needle.len()
        }
        _ => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn durations() {
        let s = 1_000_000_000i128;
        assert_eq!(parse_iso_duration("PT5M"), Some(300 * s));
        assert_eq!(parse_iso_duration("P1DT2H"), Some((86_400 + 7_200) * s));
        assert_eq!(parse_iso_duration("-PT6H3M"), Some(-(6 * 3_600 + 180) * s));
        assert_eq!(parse_iso_duration("PT0.5S"), Some(s / 2));
        assert_eq!(parse_iso_duration("pt1m"), Some(60 * s));
        assert_eq!(parse_iso_duration("P2D"), Some(2 * 86_400 * s));
        for bad in ["PT", "P", "5M", "P1W", "PT1X", "{{ x }}", ""] {
            assert_eq!(parse_iso_duration(bad), None, "{bad}");
        }
        assert_eq!(format_duration(5_400 * s), "PT1H30M");
        assert_eq!(format_duration(s / 2), "PT0.5S");
        assert_eq!(format_duration(0), "PT0S");
    }

    #[test]
    fn sub_spans_in_every_style() {
        let text = "a: x inputs.b-c y\nb: \"q inputs.b-c\"\nc: |\n  line\n  {{ inputs.b-c }}\nd: \"e\\tf inputs.b-c\"\n";
        let root = parse(text).root.unwrap();
        for key in ["a", "b", "c", "d"] {
            let node = root.get(key).unwrap();
            let value = node.scalar_text().unwrap();
            let i = value.find("inputs.b-c").unwrap();
            let span = sub_span(text, node, i..i + 10);
            assert_eq!(&text[span], "inputs.b-c", "{key}");
        }
        // An escape inside the piece: the whole scalar.
        let text = "a: \"x\\u0041y\"\n";
        let node = parse(text).root.unwrap();
        let node = node.get("a").unwrap();
        assert_eq!(sub_span(text, node, 0..3), node.span);
    }
}
