//! Literal input values (`inputs[].defaults`, and the values a Schedule or Webhook trigger
//! supplies under `inputs:`) checked against the input's type the way Kestra parses them.
//!
//! Kestra (PR #18750, `FlowValidator.validateDeclaredInputValues`) reports
//! ``Invalid default for input '<id>': `<value>` is not a valid <TYPE> value`` and
//! ``Invalid value for input '<id>' supplied by <Kind> Trigger '<tid>': …``, skipping any value
//! whose text contains `{{` or `{%`. The parsing itself is `FlowInputOutput.parseType`
//! (`core/src/main/java/io/kestra/core/runners/FlowInputOutput.java`), which converts the value
//! with `toString()` and then:
//!
//! | type | Java parser | notes |
//! |------|-------------|-------|
//! | STRING, SECRET, YAML | none | anything goes (YAML text is parsed leniently, not checked here) |
//! | ENUM, SELECT | `toString()` | must be one of `values` unless `allowCustomValue` |
//! | INT | `Integer.valueOf` | 32-bit: `2147483648` is refused, `1.0` too |
//! | FLOAT | `Float.valueOf` | `1e3`, `.5`, `1.`, `NaN`, `Infinity`, `1.5f`, hex `0x1p3`, surrounding blanks |
//! | BOOL, BOOLEAN | `Boolean.valueOf` | never fails in Kestra (anything but `true` becomes false); refused here unless `true`/`false` |
//! | DATETIME | `Instant.parse` | `2024-01-01T10:00:00Z`, fraction ≤ 9 digits, offset `+01:00`, `T24:00:00Z` |
//! | DATE | `LocalDate.parse` | `2024-02-29`; `2024-02-30` refused |
//! | TIME | `LocalTime.parse` | `10:15`, `10:15:30`, `10:15:30.123`; `24:00` refused |
//! | DURATION | `Duration.parse` | `PT5M`, `P1DT2H`, `-PT6H3M`, `PT0.5S`; no `W`, `M`onths or `Y`ears; `PT` refused |
//! | JSON | Jackson | a YAML list/map is taken as is; text must start with one JSON value |
//! | URI | `URI_PATTERN` | an absolute `scheme://host.tld…` URL |
//! | EMAIL | `EmailInput` regex | empty, or `local@domain` |
//! | ARRAY, MULTISELECT | list, or JSON array text | items parsed as `itemType`; MULTISELECT items must be in `values` |
//! | FILE | `FileInputValidator` | since 0.24 only `file://` / `nsfile://` URIs |
//!
//! The newer, unreleased-in-1.x types (OBJECT, TABLE, FORM, ION, REUSABLE_INPUTS) are accepted
//! without checks.

use std::borrow::Cow;

/// A YAML literal as the linter reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    List(Vec<Literal<'a>>),
    /// A mapping; its content is not needed for any check.
    Map,
}

/// Input types of Kestra 1.x (`io.kestra.core.models.flows.Type`).
pub const INPUT_TYPES: &[&str] = &[
    "STRING",
    "ENUM",
    "SELECT",
    "INT",
    "FLOAT",
    "BOOLEAN",
    "BOOL",
    "DATETIME",
    "DATE",
    "TIME",
    "DURATION",
    "FILE",
    "JSON",
    "URI",
    "SECRET",
    "ARRAY",
    "MULTISELECT",
    "YAML",
    "EMAIL",
];

/// Types present in Kestra's `develop` branch but not in a 1.x release as far as the sources
/// show (TABLE and REUSABLE_INPUTS are Enterprise-only).
pub const DEVELOP_INPUT_TYPES: &[&str] = &["OBJECT", "TABLE", "FORM", "ION", "REUSABLE_INPUTS"];

/// Deprecated types and their replacement.
pub const DEPRECATED_INPUT_TYPES: &[(&str, &str)] = &[("ENUM", "SELECT"), ("BOOLEAN", "BOOL")];

/// True for a type name Kestra knows (case-sensitive, as Jackson type ids are), including the
/// develop-only ones.
pub fn is_known_input_type(t: &str) -> bool {
    INPUT_TYPES.contains(&t) || DEVELOP_INPUT_TYPES.contains(&t)
}

/// True when a value's text contains a Pebble opening delimiter; Kestra skips such values.
pub fn contains_pebble(value: &Literal) -> bool {
    match value {
        Literal::Str(s) => s.contains("{{") || s.contains("{%"),
        Literal::List(items) => items.iter().any(contains_pebble),
        _ => false,
    }
}

/// Checks a literal against an input type.
///
/// * `values`: the input's `values` (SELECT, ENUM, MULTISELECT); pass `None` to skip the
///   membership test (no `values`, `allowCustomValue: true`, or values given by `expression`).
/// * `item_type`: ARRAY/MULTISELECT `itemType` (MULTISELECT defaults to STRING).
///
/// Returns `Ok` for Null, for Pebble values, and for types this module does not know.
pub fn check_input_value(
    input_type: &str,
    value: &Literal,
    values: Option<&[&str]>,
    item_type: Option<&str>,
) -> Result<(), String> {
    if matches!(value, Literal::Null) || contains_pebble(value) {
        return Ok(());
    }
    check_v(input_type, &V::from_literal(value), values, item_type)
}

/// Owned-or-borrowed value, so items parsed from JSON text can be checked like YAML ones.
#[derive(Debug, Clone, PartialEq)]
enum V<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer literal too large for `i64` (Jackson's BigInteger).
    BigInt(Cow<'a, str>),
    Float(f64),
    Str(Cow<'a, str>),
    List(Vec<V<'a>>),
    Map,
}

impl<'a> V<'a> {
    fn from_literal(l: &Literal<'a>) -> V<'a> {
        match l {
            Literal::Null => V::Null,
            Literal::Bool(b) => V::Bool(*b),
            Literal::Int(i) => V::Int(*i),
            Literal::Float(f) => V::Float(*f),
            Literal::Str(s) => V::Str(Cow::Borrowed(s)),
            Literal::List(items) => V::List(items.iter().map(V::from_literal).collect()),
            Literal::Map => V::Map,
        }
    }

    /// Java `toString()` of the value Jackson would have built.
    fn java_string(&self) -> String {
        match self {
            V::Null => "null".to_string(),
            V::Bool(b) => b.to_string(),
            V::Int(i) => i.to_string(),
            V::BigInt(s) => s.to_string(),
            V::Float(f) => java_double_to_string(*f),
            V::Str(s) => s.to_string(),
            V::List(items) => {
                let parts: Vec<String> = items.iter().map(V::java_string).collect();
                format!("[{}]", parts.join(", "))
            }
            V::Map => "{…}".to_string(),
        }
    }
}

fn invalid(v: &V, ty: &str, reason: Option<&str>) -> String {
    let mut m = format!("`{}` is not a valid {ty} value", shorten(&v.java_string()));
    if let Some(r) = reason {
        m.push_str(&format!(" ({r})"));
    }
    if let Some(h) = hint(ty) {
        m.push_str("; ");
        m.push_str(h);
    }
    m
}

fn shorten(s: &str) -> Cow<'_, str> {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().take(MAX).collect::<String>() + "…")
    }
}

fn hint(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "INT" => "expected a whole number between -2147483648 and 2147483647",
        "FLOAT" => "expected a number such as `1.5` or `1e3`",
        "BOOL" | "BOOLEAN" => "expected `true` or `false`",
        "DATETIME" => "expected an ISO-8601 instant such as `2024-01-01T10:00:00Z`",
        "DATE" => "expected an ISO-8601 date such as `2024-01-31`",
        "TIME" => "expected an ISO-8601 time such as `10:15` or `10:15:30`",
        "DURATION" => "expected an ISO-8601 duration such as `PT5M`, `PT1H30M` or `P1DT2H`",
        "JSON" => "expected JSON text such as `{\"key\": \"value\"}` or a YAML map/list",
        "URI" => "expected an absolute URL such as `https://example.com/data.csv`",
        "EMAIL" => "expected an e-mail address such as `name@example.com`",
        "ARRAY" | "MULTISELECT" => "expected a YAML list or a JSON array such as `[\"a\", \"b\"]`",
        _ => return None,
    })
}

fn check_v(
    ty: &str,
    v: &V,
    values: Option<&[&str]>,
    item_type: Option<&str>,
) -> Result<(), String> {
    let scalar_text = || match v {
        V::List(_) | V::Map | V::Null => None,
        other => Some(other.java_string()),
    };
    match ty {
        "STRING" | "SECRET" | "YAML" => Ok(()),
        "ENUM" | "SELECT" => {
            if matches!(v, V::Null) {
                return Err(invalid(v, ty, None));
            }
            check_member(v, values)
        }
        "INT" => match v {
            V::Int(i) if i32::try_from(*i).is_ok() => Ok(()),
            V::Int(_) | V::BigInt(_) => Err(invalid(v, ty, Some("too large for a 32-bit integer"))),
            V::Str(s) => match java_int(s) {
                IntParse::Ok => Ok(()),
                IntParse::Overflow => Err(invalid(v, ty, Some("too large for a 32-bit integer"))),
                IntParse::NotANumber => Err(invalid(v, ty, None)),
            },
            _ => Err(invalid(v, ty, None)),
        },
        "FLOAT" => match v {
            V::Int(_) | V::BigInt(_) | V::Float(_) => Ok(()),
            V::Str(s) if java_float(s) => Ok(()),
            _ => Err(invalid(v, ty, None)),
        },
        "BOOL" | "BOOLEAN" => match v {
            V::Bool(_) => Ok(()),
            V::Str(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
                Ok(())
            }
            _ => Err(invalid(
                v,
                ty,
                Some("Kestra reads anything other than `true` as false"),
            )),
        },
        "DATETIME" | "DATE" | "TIME" | "DURATION" => {
            let Some(text) = scalar_text() else {
                return Err(invalid(v, ty, None));
            };
            let parsed = match ty {
                "DATETIME" => parse_instant(&text),
                "DATE" => parse_local_date(&text).map(|_| ()),
                "TIME" => parse_local_time(&text),
                _ => parse_duration(&text),
            };
            parsed.map_err(|r| invalid(v, ty, r.as_deref()))
        }
        "JSON" => match v {
            V::List(_) | V::Map | V::Bool(_) | V::Int(_) | V::BigInt(_) => Ok(()),
            V::Float(f) if f.is_finite() => Ok(()),
            V::Str(s) => parse_json_prefix(s)
                .map(|_| ())
                .map_err(|r| invalid(v, ty, Some(&r))),
            _ => Err(invalid(v, ty, None)),
        },
        "URI" => match scalar_text() {
            Some(t) if uri_pattern_matches(&t) => Ok(()),
            _ => Err(invalid(v, ty, None)),
        },
        "EMAIL" => match scalar_text() {
            Some(t) if email_matches(&t) => Ok(()),
            _ => Err(invalid(v, ty, None)),
        },
        "FILE" => check_file(v),
        "ARRAY" | "MULTISELECT" => {
            let items: Vec<V> = match v {
                V::List(items) => items.clone(),
                V::Str(s) => match parse_json_prefix(s) {
                    Ok(V::List(items)) => items,
                    Ok(_) => return Err(invalid(v, ty, Some("the JSON text is not an array"))),
                    Err(r) => return Err(invalid(v, ty, Some(&r))),
                },
                _ => return Err(invalid(v, ty, None)),
            };
            let item_ty = item_type.or((ty == "MULTISELECT").then_some("STRING"));
            for item in &items {
                if matches!(item, V::Null) {
                    return Err(invalid(v, ty, Some("an item is null")));
                }
                if let Some(it) = item_type_to_check(item_ty) {
                    if let Err(inner) = check_v(it, item, None, None) {
                        return Err(format!("{}: item {inner}", invalid(v, ty, None)));
                    }
                }
            }
            if ty == "MULTISELECT" {
                for item in &items {
                    check_member(item, values)
                        .map_err(|inner| format!("{}: item {inner}", invalid(v, ty, None)))?;
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Item types whose items this module parses.
fn item_type_to_check(t: Option<&str>) -> Option<&str> {
    t.filter(|t| !matches!(*t, "ARRAY" | "MULTISELECT" | "SECRET" | "FILE"))
}

fn check_member(v: &V, values: Option<&[&str]>) -> Result<(), String> {
    let Some(values) = values else {
        return Ok(());
    };
    let text = v.java_string();
    if values.contains(&text.as_str()) {
        return Ok(());
    }
    let mut m = format!(
        "`{}` is not one of the allowed values [{}]",
        shorten(&text),
        values.join(", ")
    );
    if let Some(close) = values
        .iter()
        .find(|c| c.eq_ignore_ascii_case(&text))
        .or_else(|| {
            values
                .iter()
                .find(|c| super::timezone::edit_distance(c, &text) <= 1 && text.len() > 2)
        })
    {
        m.push_str(&format!("; did you mean `{close}`?"));
    }
    Err(m)
}

fn check_file(v: &V) -> Result<(), String> {
    const SCHEME: &str = "inputs of type 'FILE' only support `defaults` as local files using a file URI or as namespace files using a nsfile URI";
    let text = match v {
        V::List(_) | V::Map | V::Null => return Err(SCHEME.to_string()),
        other => other.java_string(),
    };
    if text
        .chars()
        .any(|c| c <= ' ' || c == '\u{7f}' || "\"<>\\^`{|}".contains(c))
    {
        return Err(format!("`{}` is not a valid URI; {SCHEME}", shorten(&text)));
    }
    match uri_scheme(&text) {
        Some("file") | Some("nsfile") => Ok(()),
        _ => Err(format!("`{}`: {SCHEME}", shorten(&text))),
    }
}

/// The scheme of a `java.net.URI`, if the text has one.
fn uri_scheme(s: &str) -> Option<&str> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

// ---------------------------------------------------------------------------------------------
// Java number parsing

enum IntParse {
    Ok,
    Overflow,
    NotANumber,
}

/// `Integer.valueOf(String)` (ASCII digits).
fn java_int(s: &str) -> IntParse {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return IntParse::NotANumber;
    }
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 10 {
        return IntParse::Overflow;
    }
    let magnitude: i64 = trimmed.parse().unwrap_or(0);
    let value = if s.starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    if i32::try_from(value).is_ok() {
        IntParse::Ok
    } else {
        IntParse::Overflow
    }
}

/// `Float.valueOf(String)` grammar (`FloatingDecimal.readJavaFormatString`).
fn java_float(s: &str) -> bool {
    let t = s.trim_matches(|c: char| c <= ' ');
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    if body == "NaN" || body == "Infinity" {
        return true;
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        let Some(p) = hex.find(['p', 'P']) else {
            return false;
        };
        let (mantissa, exp) = (&hex[..p], &hex[p + 1..]);
        let (int_part, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let hex_ok = |x: &str| x.bytes().all(|b| b.is_ascii_hexdigit());
        let exp_digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        return hex_ok(int_part)
            && hex_ok(frac)
            && !(int_part.is_empty() && frac.is_empty())
            && !exp_digits.is_empty()
            && exp_digits.bytes().all(|b| b.is_ascii_digit());
    }
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_ok = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok(int_part) || !digits_ok(frac) || (int_part.is_empty() && frac.is_empty()) {
        return false;
    }
    match exp {
        None => true,
        Some(e) => {
            let d = e.strip_prefix(['+', '-']).unwrap_or(e);
            !d.is_empty() && digits_ok(d)
        }
    }
}

/// Java `Double.toString`.
fn java_double_to_string(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let a = f.abs();
    if a == 0.0 || (1e-3..1e7).contains(&a) {
        let s = format!("{f}");
        if s.contains('.') {
            s
        } else {
            s + ".0"
        }
    } else {
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') {
            m.to_string()
        } else {
            format!("{m}.0")
        };
        format!("{m}E{e}")
    }
}

// ---------------------------------------------------------------------------------------------
// java.time parsing

type Reason = Option<String>;

/// Consumes exactly `n` ASCII digits.
fn take_digits(s: &[u8], pos: &mut usize, n: usize) -> Option<u32> {
    let slice = s.get(*pos..*pos + n)?;
    if !slice.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *pos += n;
    Some(
        slice
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0')),
    )
}

fn expect(s: &[u8], pos: &mut usize, c: u8, case_insensitive: bool) -> bool {
    match s.get(*pos) {
        Some(&b) if b == c || (case_insensitive && b.eq_ignore_ascii_case(&c)) => {
            *pos += 1;
            true
        }
        _ => false,
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `ISO_LOCAL_DATE` at `pos`; returns (year, month, day).
fn parse_date_at(s: &[u8], pos: &mut usize) -> Result<(i64, u32, u32), Reason> {
    // Year: 4 digits, or a sign and more digits (SignStyle.EXCEEDS_PAD).
    let sign = match s.get(*pos) {
        Some(b'+') => {
            *pos += 1;
            Some(true)
        }
        Some(b'-') => {
            *pos += 1;
            Some(false)
        }
        _ => None,
    };
    let start = *pos;
    while *pos < s.len() && s[*pos].is_ascii_digit() && *pos - start < 10 {
        *pos += 1;
    }
    let n = *pos - start;
    let year_ok = match sign {
        None => n == 4,
        Some(true) => (5..=10).contains(&n),
        Some(false) => (4..=10).contains(&n),
    };
    if !year_ok {
        return Err(Some("the year must have 4 digits".to_string()));
    }
    let mut year: i64 = s[start..*pos]
        .iter()
        .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'));
    if sign == Some(false) {
        year = -year;
    }
    if year.abs() > 999_999_999 {
        return Err(Some("the year is out of range".to_string()));
    }
    if !expect(s, pos, b'-', false) {
        return Err(None);
    }
    let month = take_digits(s, pos, 2).ok_or(None)?;
    if !expect(s, pos, b'-', false) {
        return Err(None);
    }
    let day = take_digits(s, pos, 2).ok_or(None)?;
    if !(1..=12).contains(&month) {
        return Err(Some(format!("month {month} does not exist")));
    }
    let len = match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > len {
        let name = MONTHS[(month - 1) as usize];
        return Err(Some(format!("{name} {year} has no day {day}")));
    }
    Ok((year, month, day))
}

fn parse_local_date(text: &str) -> Result<(i64, u32, u32), Reason> {
    let s = text.as_bytes();
    let mut pos = 0;
    let d = parse_date_at(s, &mut pos)?;
    if pos != s.len() {
        return Err(Some("unexpected text after the date".to_string()));
    }
    Ok(d)
}

/// Optional `.` and 0-9 fraction digits (`appendFraction(NANO_OF_SECOND, 0, 9, true)`).
fn parse_fraction(s: &[u8], pos: &mut usize) -> Result<u32, Reason> {
    if s.get(*pos) != Some(&b'.') {
        return Ok(0);
    }
    *pos += 1;
    let start = *pos;
    while *pos < s.len() && s[*pos].is_ascii_digit() && *pos - start < 9 {
        *pos += 1;
    }
    Ok(u32::try_from(*pos - start).unwrap_or(0))
}

/// `ISO_LOCAL_TIME`: `HH:mm[:ss[.fffffffff]]`.
fn parse_local_time(text: &str) -> Result<(), Reason> {
    let s = text.as_bytes();
    let mut pos = 0;
    let h = take_digits(s, &mut pos, 2).ok_or(None)?;
    if !expect(s, &mut pos, b':', false) {
        return Err(None);
    }
    let m = take_digits(s, &mut pos, 2).ok_or(None)?;
    let mut sec = 0;
    if expect(s, &mut pos, b':', false) {
        sec = take_digits(s, &mut pos, 2).ok_or(None)?;
        parse_fraction(s, &mut pos)?;
    }
    if pos != s.len() {
        return Err(Some("unexpected text after the time".to_string()));
    }
    if h > 23 {
        return Err(Some(format!("hour {h} is out of range 0-23")));
    }
    if m > 59 {
        return Err(Some(format!("minute {m} is out of range 0-59")));
    }
    if sec > 59 {
        return Err(Some(format!("second {sec} is out of range 0-59")));
    }
    Ok(())
}

/// `Instant.parse` (`DateTimeFormatter.ISO_INSTANT`, JDK 21: case-insensitive, offsets allowed).
fn parse_instant(text: &str) -> Result<(), Reason> {
    let s = text.as_bytes();
    let mut pos = 0;
    parse_date_at(s, &mut pos)?;
    if !expect(s, &mut pos, b'T', true) {
        return Err(Some("date and time must be separated by `T`".to_string()));
    }
    let h = take_digits(s, &mut pos, 2).ok_or(None)?;
    if !expect(s, &mut pos, b':', false) {
        return Err(None);
    }
    let m = take_digits(s, &mut pos, 2).ok_or(None)?;
    if !expect(s, &mut pos, b':', false) {
        return Err(Some("seconds are required".to_string()));
    }
    let sec = take_digits(s, &mut pos, 2).ok_or(None)?;
    let frac_digits = parse_fraction(s, &mut pos)?;
    let frac_zero = s[pos - frac_digits as usize..pos]
        .iter()
        .all(|b| *b == b'0');
    // Offset: `Z` or `+HH:MM[:ss]`.
    match s.get(pos) {
        Some(b'Z') | Some(b'z') => pos += 1,
        Some(b'+') | Some(b'-') => {
            pos += 1;
            let oh = take_digits(s, &mut pos, 2).ok_or(None)?;
            if !expect(s, &mut pos, b':', false) {
                return Err(Some("the offset must look like `+01:00`".to_string()));
            }
            let om = take_digits(s, &mut pos, 2).ok_or(None)?;
            let mut os = 0;
            if expect(s, &mut pos, b':', false) {
                os = take_digits(s, &mut pos, 2).ok_or(None)?;
            }
            if oh > 18 || om > 59 || os > 59 || (oh == 18 && (om > 0 || os > 0)) {
                return Err(Some("the offset is out of range".to_string()));
            }
        }
        _ => {
            return Err(Some(
                "a time-zone designator (`Z` or an offset such as `+01:00`) is required"
                    .to_string(),
            ))
        }
    }
    if pos != s.len() {
        return Err(Some("unexpected text after the instant".to_string()));
    }
    let end_of_day = h == 24 && m == 0 && sec == 0 && frac_zero;
    let leap = h == 23 && m == 59 && sec == 60;
    if !end_of_day && !leap && (h > 23 || m > 59 || sec > 59) {
        return Err(Some("the time of day is out of range".to_string()));
    }
    Ok(())
}

/// Java's `Duration.parse` verdict on a literal, with the reason when it is refused.
pub fn check_duration(text: &str) -> Result<(), String> {
    parse_duration(text).map_err(|r| r.unwrap_or_else(|| "not an ISO-8601 duration".to_string()))
}

/// The ISO-8601 form of a duration written in words or units: `30 seconds` → `PT30S`,
/// `1h30m` → `PT1H30M`, `2 days` → `P2D`, `500ms` → `PT0.5S`. `None` when the text is not
/// such a sequence of numbers and units.
pub fn iso_duration(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let mut rest = lower.as_str();
    let (mut days, mut hours, mut minutes, mut millis) = (0u64, 0u64, 0u64, 0u64);
    let mut any = false;
    loop {
        rest = rest.trim_start_matches([' ', ',']);
        rest = rest.strip_prefix("and ").unwrap_or(rest);
        if rest.is_empty() {
            break;
        }
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 || digits > 9 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        match unit {
            "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => millis += n,
            "s" | "sec" | "secs" | "second" | "seconds" => millis += n * 1000,
            "m" | "min" | "mins" | "minute" | "minutes" => minutes += n,
            "h" | "hr" | "hrs" | "hour" | "hours" => hours += n,
            "d" | "day" | "days" => days += n,
            _ => return None,
        }
        any = true;
    }
    if !any {
        return None;
    }
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if hours + minutes + millis > 0 || days == 0 {
        out.push('T');
        if hours > 0 {
            out.push_str(&format!("{hours}H"));
        }
        if minutes > 0 {
            out.push_str(&format!("{minutes}M"));
        }
        if millis > 0 || (hours == 0 && minutes == 0) {
            let (secs, frac) = (millis / 1000, millis % 1000);
            if frac == 0 {
                out.push_str(&format!("{secs}S"));
            } else {
                let frac = format!("{frac:03}");
                out.push_str(&format!("{secs}.{}S", frac.trim_end_matches('0')));
            }
        }
    }
    Some(out)
}

/// `Duration.parse`: `[-+]P[nD][T[nH][nM][n[.f]S]]`, case-insensitive, each number signed.
fn parse_duration(text: &str) -> Result<(), Reason> {
    let s = text.as_bytes();
    let mut pos = 0;
    let negate = match s.first() {
        Some(b'-') => {
            pos = 1;
            true
        }
        Some(b'+') => {
            pos = 1;
            false
        }
        _ => false,
    };
    if !expect(s, &mut pos, b'P', true) {
        return Err(Some("a duration starts with `P`".to_string()));
    }
    // A signed integer followed by `unit`; returns None (and does not move) if absent.
    fn number<'b>(s: &'b [u8], pos: &mut usize) -> Option<(bool, &'b [u8])> {
        let mut p = *pos;
        let neg = match s.get(p) {
            Some(b'-') => {
                p += 1;
                true
            }
            Some(b'+') => {
                p += 1;
                false
            }
            _ => false,
        };
        let start = p;
        while p < s.len() && s[p].is_ascii_digit() {
            p += 1;
        }
        if p == start {
            return None;
        }
        let digits = &s[start..p];
        *pos = p;
        Some((neg, digits))
    }
    fn value(neg: bool, digits: &[u8]) -> Option<i128> {
        let trimmed: Vec<u8> = digits.iter().copied().skip_while(|b| *b == b'0').collect();
        if trimmed.len() > 19 {
            return None;
        }
        let v = trimmed
            .iter()
            .fold(0i128, |acc, b| acc * 10 + i128::from(b - b'0'));
        if v > i128::from(i64::MAX) + i128::from(neg) {
            return None;
        }
        Some(if neg { -v } else { v })
    }
    let overflow = || Some("the duration is too large".to_string());
    let mut total: i128 = 0;
    let mut any = false;
    let save = pos;
    if let Some((neg, d)) = number(s, &mut pos) {
        if expect(s, &mut pos, b'D', true) {
            total += value(neg, d).ok_or_else(overflow)? * 86_400;
            any = true;
        } else {
            pos = save;
        }
    }
    if pos < s.len() {
        if !expect(s, &mut pos, b'T', true) {
            return Err(Some(
                "only days (`D`) may come before `T`; weeks, months and years are not supported"
                    .to_string(),
            ));
        }
        let mut time_any = false;
        for (unit, secs) in [(b'H', 3600i128), (b'M', 60)] {
            let save = pos;
            if let Some((neg, d)) = number(s, &mut pos) {
                if expect(s, &mut pos, unit, true) {
                    total += value(neg, d).ok_or_else(overflow)? * secs;
                    time_any = true;
                } else {
                    pos = save;
                }
            }
        }
        let save = pos;
        if let Some((neg, d)) = number(s, &mut pos) {
            if matches!(s.get(pos), Some(b'.') | Some(b',')) {
                pos += 1;
                let start = pos;
                while pos < s.len() && s[pos].is_ascii_digit() && pos - start < 9 {
                    pos += 1;
                }
            }
            if expect(s, &mut pos, b'S', true) {
                total += value(neg, d).ok_or_else(overflow)?;
                time_any = true;
            } else {
                pos = save;
            }
        }
        if !time_any {
            return Err(Some(
                "`T` must be followed by hours, minutes or seconds".to_string(),
            ));
        }
        any = true;
    }
    if pos != s.len() {
        return Err(Some("unexpected text in the duration".to_string()));
    }
    if !any {
        return Err(Some(
            "the duration has no days, hours, minutes or seconds".to_string(),
        ));
    }
    let total = if negate { -total } else { total };
    if total > i128::from(i64::MAX) || total < i128::from(i64::MIN) {
        return Err(overflow());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JSON (Jackson: one root value; text after a container or string is ignored)

const MAX_JSON_DEPTH: usize = 1000;

/// Parses the first JSON value of `text` like Jackson's `readValue` (trailing tokens ignored).
fn parse_json_prefix(text: &str) -> Result<V<'static>, String> {
    let s = text.as_bytes();
    let mut p = JsonParser { s, pos: 0 };
    p.ws();
    if p.pos >= s.len() {
        return Err("no JSON content".to_string());
    }
    let first = s[p.pos];
    let v = p.value(0)?;
    // Root-level scalars must be followed by white space or the end.
    match first {
        b'-' | b'0'..=b'9' => {
            if let Some(&c) = s.get(p.pos) {
                if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                    return Err("unexpected character after a number".to_string());
                }
            }
        }
        b't' | b'f' | b'n' => {
            if let Some(&c) = s.get(p.pos) {
                if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
                    return Err("unrecognized token".to_string());
                }
            }
        }
        _ => {}
    }
    Ok(v)
}

struct JsonParser<'s> {
    s: &'s [u8],
    pos: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at character {}", self.pos + 1))
    }

    fn value(&mut self, depth: usize) -> Result<V<'static>, String> {
        if depth > MAX_JSON_DEPTH {
            return self.err("JSON nested too deeply");
        }
        self.ws();
        match self.s.get(self.pos) {
            None => self.err("unexpected end of JSON"),
            Some(b'{') => {
                self.pos += 1;
                self.ws();
                if self.s.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(V::Map);
                }
                loop {
                    self.ws();
                    if self.s.get(self.pos) != Some(&b'"') {
                        return self.err("expected a quoted field name");
                    }
                    self.string()?;
                    self.ws();
                    if self.s.get(self.pos) != Some(&b':') {
                        return self.err("expected `:`");
                    }
                    self.pos += 1;
                    self.value(depth + 1)?;
                    self.ws();
                    match self.s.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(V::Map);
                        }
                        _ => return self.err("expected `,` or `}`"),
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                self.ws();
                let mut items = Vec::new();
                if self.s.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(V::List(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(V::List(items));
                        }
                        _ => return self.err("expected `,` or `]`"),
                    }
                }
            }
            Some(b'"') => self.string().map(|s| V::Str(Cow::Owned(s))),
            Some(b't') => self.literal("true", V::Bool(true)),
            Some(b'f') => self.literal("false", V::Bool(false)),
            Some(b'n') => self.literal("null", V::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.err("unexpected character"),
        }
    }

    fn literal(&mut self, word: &str, v: V<'static>) -> Result<V<'static>, String> {
        if self.s[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(v)
        } else {
            self.err("unrecognized token")
        }
    }

    fn number(&mut self) -> Result<V<'static>, String> {
        let start = self.pos;
        if self.s.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while matches!(self.s.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        let int_len = self.pos - int_start;
        if int_len == 0 {
            return self.err("expected a digit");
        }
        if int_len > 1 && self.s[int_start] == b'0' {
            return self.err("leading zeroes are not allowed");
        }
        let mut is_float = false;
        if self.s.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            let f = self.pos;
            while matches!(self.s.get(self.pos), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            if self.pos == f {
                return self.err("expected a digit after `.`");
            }
            is_float = true;
        }
        if matches!(self.s.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.s.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let e = self.pos;
            while matches!(self.s.get(self.pos), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            if self.pos == e {
                return self.err("expected a digit in the exponent");
            }
            is_float = true;
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("0");
        if is_float {
            Ok(V::Float(text.parse().unwrap_or(0.0)))
        } else {
            Ok(text
                .parse::<i64>()
                .map(V::Int)
                .unwrap_or_else(|_| V::BigInt(Cow::Owned(text.to_string()))))
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1; // opening quote
        let mut out = Vec::new();
        loop {
            match self.s.get(self.pos) {
                None => return self.err("unterminated string"),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    match self.s.get(self.pos) {
                        Some(b'"') => out.push(b'"'),
                        Some(b'\\') => out.push(b'\\'),
                        Some(b'/') => out.push(b'/'),
                        Some(b'b') => out.push(8),
                        Some(b'f') => out.push(12),
                        Some(b'n') => out.push(b'\n'),
                        Some(b'r') => out.push(b'\r'),
                        Some(b't') => out.push(b'\t'),
                        Some(b'u') => {
                            let hex = self.s.get(self.pos + 1..self.pos + 5);
                            let code = hex
                                .and_then(|h| std::str::from_utf8(h).ok())
                                .and_then(|h| u32::from_str_radix(h, 16).ok());
                            let Some(code) = code else {
                                return self.err("invalid `\\u` escape");
                            };
                            let c = char::from_u32(code).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            self.pos += 4;
                        }
                        _ => return self.err("invalid escape"),
                    }
                    self.pos += 1;
                }
                Some(&c) if c < 0x20 => return self.err("unescaped control character in string"),
                Some(&c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// URI and e-mail patterns

/// `FlowInputOutput.URI_PATTERN`, full match:
/// `^[a-z]+:\/\/(?:www\.)?[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b(?:[-a-zA-Z0-9()@:%_\+.~#?&\/=]*)$`
fn uri_pattern_matches(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let host_char = |c: char| c.is_ascii_alphanumeric() || "-@:%._+~#=".contains(c);
    let tld_char = |c: char| c.is_ascii_alphanumeric() || c == '(' || c == ')';
    let path_char = |c: char| c.is_ascii_alphanumeric() || "-()@:%_+.~#?&/=".contains(c);
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let try_from = |body: &str| -> bool {
        let chars: Vec<char> = body.chars().collect();
        // Host: 1..=256 host chars, then `.`, then 1..=6 TLD chars, a word boundary, then path.
        let host_len = chars.iter().take_while(|c| host_char(**c)).count();
        for dot in 1..=host_len.min(256) {
            if chars.get(dot) != Some(&'.') {
                continue;
            }
            for tld in 1..=6 {
                let end = dot + 1 + tld;
                if end > chars.len() || !chars[dot + 1..end].iter().all(|c| tld_char(*c)) {
                    break;
                }
                let before = word(chars[end - 1]);
                let after = chars.get(end).is_some_and(|c| word(*c));
                if before == after {
                    continue; // no word boundary
                }
                if chars[end..].iter().all(|c| path_char(*c)) {
                    return true;
                }
            }
        }
        false
    };
    try_from(rest) || rest.strip_prefix("www.").is_some_and(try_from)
}

/// `EmailInput.EMAIL_PATTERN`: `^$|^[a-zA-Z0-9_!#$%&’*+/=?\`{|}~^.-]+@[a-zA-Z0-9.-]+$`.
fn email_matches(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "_!#$%&\u{2019}*+/=?`{|}~^.-".contains(c);
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    !local.is_empty()
        && !domain.is_empty()
        && local.chars().all(local_ok)
        && domain.chars().all(domain_ok)
}

#[cfg(test)]
mod tests {
    use super::Literal::*;
    use super::*;

    fn ok(t: &str, v: Literal) {
        if let Err(e) = check_input_value(t, &v, None, None) {
            panic!("{t} {v:?} should be valid: {e}");
        }
    }
    fn bad(t: &str, v: Literal) -> String {
        match check_input_value(t, &v, None, None) {
            Ok(()) => panic!("{t} {v:?} should be invalid"),
            Err(e) => e,
        }
    }

    #[test]
    fn types_list() {
        assert_eq!(INPUT_TYPES.len(), 19);
        for t in INPUT_TYPES.iter().chain(DEVELOP_INPUT_TYPES) {
            assert!(is_known_input_type(t));
        }
        assert!(!is_known_input_type("string"));
        assert!(!is_known_input_type("NUMBER"));
        assert!(!is_known_input_type(""));
        for (old, new) in DEPRECATED_INPUT_TYPES {
            assert!(INPUT_TYPES.contains(old) && INPUT_TYPES.contains(new));
        }
    }

    #[test]
    fn pebble_and_null_skipped() {
        ok("INT", Str("{{ now() }}"));
        ok("DATE", Str("{% if true %}x{% endif %}"));
        ok("ARRAY", List(vec![Str("{{ x }}"), Str("y")]));
        ok("INT", Null);
        ok("FILE", Str("{{ inputs.x }}"));
    }

    #[test]
    fn int() {
        for v in [
            Int(100),
            Int(-5),
            Int(2147483647),
            Int(-2147483648),
            Str("42"),
            Str("+7"),
            Str("-0"),
            Str("007"),
        ] {
            ok("INT", v);
        }
        assert_eq!(
            bad("INT", Str("abc")),
            "`abc` is not a valid INT value; expected a whole number between -2147483648 and 2147483647"
        );
        assert!(bad("INT", Str("2147483648")).contains("32-bit"));
        assert!(bad("INT", Int(2147483648)).contains("32-bit"));
        bad("INT", Str("1.0"));
        bad("INT", Float(1.0));
        bad("INT", Str(" 1"));
        bad("INT", Str(""));
        bad("INT", Str("1e3"));
        bad("INT", Bool(true));
        bad("INT", List(vec![Int(1)]));
        bad("INT", Map);
        assert!(bad("INT", Float(5.0)).starts_with("`5.0`"));
    }

    #[test]
    fn float() {
        for v in [
            Float(100.12),
            Int(3),
            Str("1e3"),
            Str("1.5"),
            Str(".5"),
            Str("1."),
            Str("-2.5E-3"),
            Str("NaN"),
            Str("-Infinity"),
            Str("1.5f"),
            Str("2d"),
            Str(" 3.0 "),
            Str("0x1p3"),
            Str("0x1.8P-1"),
            Str("+4"),
        ] {
            ok("FLOAT", v);
        }
        for v in [
            Str("abc"),
            Str("1,5"),
            Str("1e"),
            Str("."),
            Str(""),
            Str("0x10"),
            Str("1_000"),
            Str("inf"),
            Bool(false),
            Map,
        ] {
            bad("FLOAT", v);
        }
    }

    #[test]
    fn bool() {
        for t in ["BOOL", "BOOLEAN"] {
            ok(t, Bool(true));
            ok(t, Str("false"));
            ok(t, Str("TRUE"));
            let m = bad(t, Str("yes"));
            assert!(
                m.contains("reads anything other than `true` as false"),
                "{m}"
            );
            bad(t, Int(1));
            bad(t, Str(""));
        }
    }

    #[test]
    fn datetime() {
        for s in [
            "2013-08-09T14:19:00Z",
            "2024-01-01T10:00:00Z",
            "2024-01-01T10:00:00.123Z",
            "2024-01-01T10:00:00.123456789Z",
            "2024-01-01T10:00:00+01:00",
            "2024-01-01T10:00:00-05:30",
            "2024-01-01T10:00:00+01:00:30",
            "2024-01-01t10:00:00z",
            "2024-12-31T24:00:00Z",
            "2016-12-31T23:59:60Z",
            "2024-01-01T10:00:00.Z",
            "+12024-01-01T10:00:00Z",
        ] {
            ok("DATETIME", Str(s));
        }
        for s in [
            "2024-01-01",
            "2024-01-01T10:00Z",
            "2024-01-01T10:00:00",
            "2024-01-01 10:00:00Z",
            "2024-01-01T10:00:00+0100",
            "2024-01-01T10:00:00+01",
            "2024-02-30T10:00:00Z",
            "2024-01-01T25:00:00Z",
            "2024-01-01T10:00:00.1234567890Z",
            "24-01-01T10:00:00Z",
            "2024-01-01T10:00:00Z ",
            "now",
        ] {
            bad("DATETIME", Str(s));
        }
        bad("DATETIME", Int(1_700_000_000));
    }

    #[test]
    fn date() {
        for s in [
            "2013-10-25",
            "2024-02-29",
            "2000-02-29",
            "-0001-01-01",
            "+10000-01-01",
        ] {
            ok("DATE", Str(s));
        }
        let m = bad("DATE", Str("2024-02-30"));
        assert!(m.contains("February 2024 has no day 30"), "{m}");
        assert!(bad("DATE", Str("2023-02-29")).contains("no day 29"));
        assert!(bad("DATE", Str("1900-02-29")).contains("no day 29"));
        assert!(bad("DATE", Str("2024-13-01")).contains("month 13"));
        for s in [
            "2024-1-5",
            "2024/01/05",
            "20240105",
            "2024-01-05T00:00:00Z",
            "12024-01-01",
            "",
            "2024-00-10",
        ] {
            bad("DATE", Str(s));
        }
    }

    #[test]
    fn time() {
        for s in [
            "10:15",
            "10:15:30",
            "10:15:30.123",
            "00:00",
            "23:59:59.999999999",
            "10:15:30.",
        ] {
            ok("TIME", Str(s));
        }
        assert!(bad("TIME", Str("25:00")).contains("hour 25"));
        for s in [
            "24:00",
            "10:60",
            "10:15:60",
            "1:15",
            "10:15Z",
            "10:15:30+01:00",
            "10",
            "10:15.5",
            "T10:15",
        ] {
            bad("TIME", Str(s));
        }
    }

    #[test]
    fn iso_forms_of_durations_in_words() {
        assert_eq!(iso_duration("30 seconds").as_deref(), Some("PT30S"));
        assert_eq!(iso_duration("5 minutes").as_deref(), Some("PT5M"));
        assert_eq!(iso_duration("1h30m").as_deref(), Some("PT1H30M"));
        assert_eq!(iso_duration("2 days").as_deref(), Some("P2D"));
        assert_eq!(iso_duration("1 day, 2 hours").as_deref(), Some("P1DT2H"));
        assert_eq!(iso_duration("500ms").as_deref(), Some("PT0.5S"));
        assert_eq!(iso_duration("PT5M"), None);
        assert_eq!(iso_duration("soon"), None);
        assert_eq!(iso_duration("30"), None);
        assert!(check_duration("PT30S").is_ok());
        assert!(check_duration("30 seconds").is_err());
    }

    #[test]
    fn duration() {
        for s in [
            "PT5M",
            "P1DT2H",
            "-PT6H3M",
            "PT0.5S",
            "P2D",
            "PT1H30M",
            "pt15m",
            "PT-6H3M",
            "+PT1S",
            "PT1.S",
            "PT0,5S",
            "P-1D",
            "PT36H",
            "P0D",
            "PT1H2M3.123456789S",
        ] {
            ok("DURATION", Str(s));
        }
        for s in [
            "PT",
            "P",
            "",
            "5M",
            "1h",
            "P1W",
            "P1M",
            "P1Y",
            "PT1D",
            "P1DT",
            "PT5M3H",
            "PT1.1234567890S",
            "PT 5M",
            "P99999999999999999999D",
            "P106751991167301D",
        ] {
            bad("DURATION", Str(s));
        }
        assert!(bad("DURATION", Str("PT")).contains("`T` must be followed"));
        assert!(bad("DURATION", Str("P1W")).contains("weeks"));
        bad("DURATION", Int(5));
    }

    #[test]
    fn json() {
        for v in [
            Str("[{\"name\": \"kestra\", \"rating\": \"best in class\"}]"),
            Str("{\"a\": 1}"),
            Str(" 42 "),
            Str("\"text\""),
            Str("true"),
            Str("null"),
            Str("{\"a\": 1} trailing"),
            Str("[1, 2.5e3, -0, \"\\u00e9\"]"),
            List(vec![Int(1)]),
            Map,
            Int(3),
            Bool(true),
        ] {
            ok("JSON", v);
        }
        for v in [
            Str("abc"),
            Str("{a: 1}"),
            Str("{'a': 1}"),
            Str("[1, 2"),
            Str(""),
            Str("01"),
            Str("123abc"),
            Str("truex"),
            Str("{\"a\": 1,}"),
            Str("\"tab\there\""),
            Float(f64::NAN),
        ] {
            bad("JSON", v);
        }
        let deep = "[".repeat(5000);
        bad("JSON", Str(&deep));
    }

    #[test]
    fn uri() {
        for s in [
            "https://huggingface.co/datasets/kestra/datasets/raw/main/csv/orders.csv",
            "https://example.com",
            "http://www.example.com/a?b=c&d=e#f",
            "ftp://user:pass@host.example.org:21/file",
        ] {
            ok("URI", Str(s));
        }
        for s in [
            "example.com",
            "https://localhost",
            "https://localhost:8080/x",
            "HTTPS://example.com",
            "s3://bucket.s3.amazonaws.com/key", // `[a-z]+` scheme: no digits
            "file:///tmp/x",
            "https://exa mple.com",
            "https://example.com/a b",
            "",
        ] {
            bad("URI", Str(s));
        }
    }

    #[test]
    fn email() {
        for s in [
            "name@example.com",
            "a.b+c@sub.example.org",
            "",
            "x@y",
            "o\u{2019}brien@example.com",
        ] {
            ok("EMAIL", Str(s));
        }
        for s in [
            "name",
            "@example.com",
            "name@",
            "a@b@c",
            "name@exa_mple.com",
            "na me@example.com",
        ] {
            bad("EMAIL", Str(s));
        }
    }

    #[test]
    fn select_and_enum() {
        let values = ["red", "green", "blue"];
        assert!(check_input_value("SELECT", &Str("red"), Some(&values), None).is_ok());
        let m = check_input_value("SELECT", &Str("purple"), Some(&values), None).unwrap_err();
        assert_eq!(
            m,
            "`purple` is not one of the allowed values [red, green, blue]"
        );
        let m = check_input_value("SELECT", &Str("Red"), Some(&values), None).unwrap_err();
        assert!(m.contains("did you mean `red`?"));
        assert!(check_input_value("SELECT", &Str("purple"), None, None).is_ok());
        assert!(
            check_input_value("ENUM", &Str("VALUE_1"), Some(&["VALUE_1", "VALUE_2"]), None).is_ok()
        );
        assert!(
            check_input_value("ENUM", &Str("VALUE_3"), Some(&["VALUE_1", "VALUE_2"]), None)
                .is_err()
        );
        assert!(check_input_value("SELECT", &Int(5), Some(&["5", "10"]), None).is_ok());
        assert!(check_input_value("SELECT", &Float(1.0), Some(&["1"]), None).is_err());
        assert!(check_input_value("SELECT", &Float(1.0), Some(&["1.0"]), None).is_ok());
    }

    #[test]
    fn array_and_multiselect() {
        assert!(check_input_value(
            "ARRAY",
            &List(vec![Int(1), Int(2), Int(3)]),
            None,
            Some("INT")
        )
        .is_ok());
        assert!(check_input_value("ARRAY", &Str("[1, 2, 3]"), None, Some("INT")).is_ok());
        assert!(check_input_value("ARRAY", &Str("[\"2024-01-01\"]"), None, Some("DATE")).is_ok());
        assert!(check_input_value("ARRAY", &List(vec![Str("a")]), None, None).is_ok());
        let m = check_input_value("ARRAY", &List(vec![Int(1), Str("x")]), None, Some("INT"))
            .unwrap_err();
        assert_eq!(
            m,
            "`[1, x]` is not a valid ARRAY value; expected a YAML list or a JSON array such as `[\"a\", \"b\"]`: item `x` is not a valid INT value; expected a whole number between -2147483648 and 2147483647"
        );
        assert!(check_input_value("ARRAY", &Str("[1, 1.5]"), None, Some("INT")).is_err());
        assert!(check_input_value("ARRAY", &Str("[3000000000]"), None, Some("INT")).is_err());
        assert!(
            check_input_value("ARRAY", &Str("[99999999999999999999]"), None, Some("FLOAT")).is_ok()
        );
        assert!(check_input_value("ARRAY", &Str("a,b"), None, Some("STRING")).is_err());
        assert!(check_input_value("ARRAY", &Str("{\"a\":1}"), None, Some("STRING")).is_err());
        assert!(check_input_value("ARRAY", &Str("[null]"), None, Some("STRING")).is_err());
        assert!(check_input_value("ARRAY", &Int(1), None, Some("INT")).is_err());
        assert!(check_input_value(
            "ARRAY",
            &List(vec![Str("PT5M"), Str("P")]),
            None,
            Some("DURATION")
        )
        .is_err());

        let values = ["VALUE_1", "VALUE_2", "VALUE_3"];
        assert!(check_input_value(
            "MULTISELECT",
            &List(vec![Str("VALUE_1"), Str("VALUE_3")]),
            Some(&values),
            None
        )
        .is_ok());
        assert!(
            check_input_value("MULTISELECT", &Str("[\"VALUE_2\"]"), Some(&values), None).is_ok()
        );
        let m = check_input_value(
            "MULTISELECT",
            &List(vec![Str("VALUE_1"), Str("VALUE_9")]),
            Some(&values),
            None,
        )
        .unwrap_err();
        assert!(
            m.contains("item `VALUE_9` is not one of the allowed values"),
            "{m}"
        );
        assert!(check_input_value("MULTISELECT", &List(vec![Str("VALUE_9")]), None, None).is_ok());
        assert!(check_input_value("MULTISELECT", &Str("VALUE_1"), Some(&values), None).is_err());
        assert!(check_input_value(
            "MULTISELECT",
            &List(vec![Int(1)]),
            Some(&["1"]),
            Some("INT")
        )
        .is_ok());
    }

    #[test]
    fn file() {
        ok("FILE", Str("file:///mydir/myfile.csv"));
        ok("FILE", Str("nsfile:///hello.txt"));
        ok("FILE", Str("nsfile://company.team/scripts/hello.py"));
        let m = bad("FILE", Str("data.csv"));
        assert!(
            m.contains("only support `defaults` as local files using a file URI"),
            "{m}"
        );
        bad("FILE", Str("https://example.com/a.csv"));
        bad("FILE", Str("kestra:///a/b"));
        bad("FILE", Str("FILE:///x"));
        bad("FILE", Str("file:///my dir/x"));
        bad("FILE", Int(3));
    }

    #[test]
    fn anything_goes() {
        for t in [
            "STRING", "SECRET", "YAML", "OBJECT", "TABLE", "FORM", "ION", "UNKNOWN",
        ] {
            ok(t, Str("whatever: [unbalanced"));
            ok(t, List(vec![Int(1)]));
            ok(t, Map);
            ok(t, Float(f64::NAN));
        }
    }

    #[test]
    fn java_double_strings() {
        assert_eq!(java_double_to_string(5.0), "5.0");
        assert_eq!(java_double_to_string(100.12), "100.12");
        assert_eq!(java_double_to_string(1e7), "1.0E7");
        assert_eq!(java_double_to_string(1.5e-5), "1.5E-5");
        assert_eq!(java_double_to_string(0.001), "0.001");
        assert_eq!(java_double_to_string(-0.0), "-0.0");
    }

    #[test]
    fn never_panics() {
        let strings = [
            "",
            "é",
            "P",
            "PT",
            "-",
            "+",
            "T",
            "2024-",
            "2024-01-",
            "2024-01-01T",
            "2024-01-01T10:",
            "2024-01-01T10:00:00+",
            "10:",
            "\\",
            "\"",
            "[",
            "{",
            "[\"\\u12",
            "0x",
            "0xp",
            "@",
            "://",
            "a://",
            "a://b.",
            "🙂",
            "P🙂D",
            "2024-01-01T10:00:00.🙂Z",
            "+99999999999-01-01",
        ];
        for t in INPUT_TYPES.iter().chain(DEVELOP_INPUT_TYPES) {
            for s in strings {
                let _ = check_input_value(t, &Str(s), Some(&["a"]), Some("INT"));
                let _ = check_input_value(t, &List(vec![Str(s)]), Some(&["a"]), Some("DATE"));
            }
            let _ = check_input_value(t, &Float(f64::INFINITY), None, None);
            let _ = check_input_value(t, &Int(i64::MIN), None, None);
        }
    }
}
