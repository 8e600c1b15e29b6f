//! `cron` of a Schedule trigger (`io.kestra.plugin.core.trigger.Schedule`), checked the way
//! Kestra does it.
//!
//! Kestra parses the expression with cron-utils 9.2.1 (`CronParser`) and a custom
//! `CronDefinition` (`core/src/main/java/io/kestra/plugin/core/trigger/Schedule.java`):
//!
//! | field        | range | names      | special characters                         |
//! |--------------|-------|------------|--------------------------------------------|
//! | second       | 0-59  |            | (only with `withSeconds: true`, 1st field) |
//! | minute       | 0-59  |            |                                            |
//! | hour         | 0-23  |            |                                            |
//! | day-of-month | 1-31  |            | `L` (newer Kestra: `supportsL()`)          |
//! | month        | 1-12  | `JAN`-`DEC`|                                            |
//! | day-of-week  | 0-7   | `MON`-`SUN`| 0 and 7 are Sunday                         |
//!
//! All fields use a strict range (a range may not go backwards, `5-1` is an error). `*`, lists
//! `1,2`, ranges `1-5` and steps `*/5`, `5/10`, `/5`, `1-10/2` are accepted; `?`, `W`, `LW`, `#`
//! and `H` are not. Names are case-insensitive (the parser upper-cases the expression).
//! Macros (matched exactly, case-sensitive, before any trimming): `@yearly`, `@annually`,
//! `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`; `@reboot` is refused.
//! cron-utils also accepts composite expressions: `A || B` and per-field alternatives `0|30 9 * * *`.
//! The validator (`core/src/main/java/io/kestra/core/validations/validator/ScheduleValidator.java`)
//! reports `invalid cron expression '<cron>': <parser message>`; this module gives its own,
//! plainer messages.
//!
//! Quirks of cron-utils that are reproduced because they decide validity: a field may not end
//! with `,`; in day-of-week a step after a range is mapped like a value (so `1-5/7` is refused,
//! its step becomes 0); `SUN-SAT` is refused (SUN is 7, so the range goes backwards);
//! `1-5/2/9` is accepted (text after the second `/` is ignored).

use std::ops::Range;

/// A cron expression Kestra would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronError {
    /// Plain-words description: which field, what is wrong, why.
    pub message: String,
    /// Index of the offending field as written (0-based; with `withSeconds: true` field 0 is the
    /// second), or `None` for problems with the whole expression.
    pub field: Option<usize>,
    /// Byte range inside the expression of the bad field or token.
    pub span: Range<usize>,
}

impl std::fmt::Display for CronError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CronError {}

/// Macros Kestra's cron definition enables.
pub const MACROS: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// Checks a Schedule `cron` value; `with_seconds` is the trigger's `withSeconds`.
///
/// Expressions containing `{{` are not special-cased here: the caller decides whether to skip
/// them (Kestra does not render `cron`).
pub fn check_cron(expr: &str, with_seconds: bool) -> Result<(), CronError> {
    check_at(expr, 0, with_seconds, 0)
}

const MAX_DEPTH: usize = 8;

fn whole(message: String, off: usize, text: &str) -> CronError {
    CronError {
        message,
        field: None,
        span: off..off + text.len(),
    }
}

/// One (sub-)expression starting at byte `off` of the original text.
fn check_at(expr: &str, off: usize, with_seconds: bool, depth: usize) -> Result<(), CronError> {
    if depth > MAX_DEPTH {
        return Err(whole(
            "cron expression nests `|` alternatives too deeply".to_string(),
            off,
            expr,
        ));
    }
    if expr.starts_with('@') {
        if MACROS.contains(&expr) {
            return Ok(());
        }
        if expr == "@reboot" {
            return Err(whole(
                "macro `@reboot` is not supported by Kestra's Schedule trigger; use a cron expression or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly".to_string(),
                off,
                expr,
            ));
        }
    }
    if expr.contains("||") {
        let parts = java_split(expr, "||");
        if parts.is_empty() {
            return Err(whole(
                "cron expression has `||` but no expression around it".to_string(),
                off,
                expr,
            ));
        }
        for (o, part) in parts {
            check_at(part, off + o, with_seconds, depth + 1)?;
        }
        return Ok(());
    }
    if expr.contains('|') {
        return check_alternatives(expr, off, with_seconds, depth);
    }
    check_single(expr, off, with_seconds)
}

/// cron-utils' per-field alternatives: `0|30 9 * * *` means `0 9 * * *` and `30 9 * * *`.
fn check_alternatives(
    expr: &str,
    off: usize,
    with_seconds: bool,
    depth: usize,
) -> Result<(), CronError> {
    let tokens = java_split_whitespace(expr);
    let counts: Vec<usize> = tokens
        .iter()
        .map(|(_, t)| java_split(t, "|").len())
        .collect();
    let count = counts.iter().copied().max().unwrap_or(0);
    if count == 0 {
        return Err(whole(
            "cron expression has `|` but no alternatives around it".to_string(),
            off,
            expr,
        ));
    }
    for j in 0..count {
        let mut built = String::new();
        for ((o, token), n) in tokens.iter().zip(&counts) {
            if token.contains('|') {
                let alts = java_split(token, "|");
                match alts.get(j) {
                    Some((_, alt)) => built.push_str(alt),
                    None => {
                        return Err(CronError {
                            message: format!(
                                "field `{token}` lists {n} `|` alternative(s) but another field lists {count}; every field that uses `|` needs the same number of alternatives"
                            ),
                            field: None,
                            span: off + o..off + o + token.len(),
                        })
                    }
                }
            } else {
                built.push_str(token);
            }
            built.push(' ');
        }
        let alternative = built.trim_matches(|c: char| c <= ' ').to_string();
        if let Err(e) = check_at(&alternative, 0, with_seconds, depth + 1) {
            return Err(whole(
                format!("in alternative `{alternative}`: {}", e.message),
                off,
                expr,
            ));
        }
    }
    Ok(())
}

fn check_single(expr: &str, off: usize, with_seconds: bool) -> Result<(), CronError> {
    // Java: replaceAll("\\s+", " ").trim(): chars <= ' ' at both ends are dropped.
    let start = expr
        .char_indices()
        .find(|&(_, c)| c > ' ')
        .map_or(expr.len(), |(i, _)| i);
    let end = expr
        .char_indices()
        .rev()
        .find(|&(_, c)| c > ' ')
        .map_or(start, |(i, c)| i + c.len_utf8());
    let body = &expr[start..end];
    if body.is_empty() {
        return Err(whole("the cron expression is empty".to_string(), off, expr));
    }
    let fields: Vec<(usize, &str)> = java_split_whitespace(body)
        .into_iter()
        .map(|(o, t)| (off + start + o, t))
        .collect();
    let defs: &[FieldDef] = if with_seconds {
        &[SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK]
    } else {
        &[MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK]
    };
    if let Some((i, (o, t))) = fields
        .iter()
        .enumerate()
        .find(|(_, (_, t))| t.ends_with(','))
    {
        return Err(CronError {
            message: format!("field `{t}` ends with a comma; remove the trailing `,`"),
            field: Some(i),
            span: *o..*o + t.len(),
        });
    }
    if fields.len() != defs.len() {
        return Err(count_error(body, off + start, &fields, defs, with_seconds));
    }
    for (i, ((o, text), def)) in fields.iter().zip(defs).enumerate() {
        let upper = text.to_ascii_uppercase();
        let ctx = Field {
            def,
            token: text,
            token_off: *o,
        };
        ctx.parse(&upper, *o).map_err(|f| CronError {
            message: f.message,
            field: Some(i),
            span: f.span,
        })?;
    }
    Ok(())
}

fn count_error(
    body: &str,
    off: usize,
    fields: &[(usize, &str)],
    defs: &[FieldDef],
    with_seconds: bool,
) -> CronError {
    let names: Vec<&str> = defs.iter().map(|d| d.name).collect();
    let mut message = format!(
        "expected {} fields ({}), found {}",
        defs.len(),
        names.join(" "),
        fields.len()
    );
    if MACROS.contains(&body) {
        message = format!("macro `{body}` must be written without surrounding spaces");
    } else if body.starts_with('@') {
        let lower = body.to_ascii_lowercase();
        message = if MACROS.contains(&lower.as_str()) {
            format!("unknown macro `{body}`; macros are lower-case: write `{lower}`")
        } else {
            let mut m = format!(
                "unknown macro `{body}`; Kestra accepts @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"
            );
            if let Some(close) = MACROS
                .iter()
                .min_by_key(|m| super::timezone::edit_distance(&lower, m))
                .filter(|m| super::timezone::edit_distance(&lower, m) <= 2)
            {
                m.push_str(&format!(" (did you mean `{close}`?)"));
            }
            m
        };
    } else if !with_seconds && fields.len() == 6 {
        message.push_str("; a 6-field expression with seconds needs `withSeconds: true`");
    } else if with_seconds && fields.len() == 5 {
        message.push_str("; `withSeconds: true` expects the seconds field first");
    } else if fields.len() == 7 {
        message.push_str("; a year field (Quartz syntax) is not supported");
    }
    CronError {
        message,
        field: None,
        span: off..off + body.len(),
    }
}

/// Definition of one cron field as Kestra configures cron-utils.
#[derive(Debug, Clone, Copy)]
struct FieldDef {
    name: &'static str,
    lo: i64,
    hi: i64,
    names: &'static [(&'static str, i64)],
    /// `withIntMapping(7, 0)`: applied to single values and steps, not to range bounds.
    seven_is_zero: bool,
    supports_l: bool,
}

const SECOND: FieldDef = FieldDef {
    name: "second",
    lo: 0,
    hi: 59,
    names: &[],
    seven_is_zero: false,
    supports_l: false,
};
const MINUTE: FieldDef = FieldDef {
    name: "minute",
    ..SECOND
};
const HOUR: FieldDef = FieldDef {
    name: "hour",
    hi: 23,
    ..SECOND
};
const DAY_OF_MONTH: FieldDef = FieldDef {
    name: "day-of-month",
    lo: 1,
    hi: 31,
    supports_l: true,
    ..SECOND
};
const MONTH: FieldDef = FieldDef {
    name: "month",
    lo: 1,
    hi: 12,
    names: &[
        ("JAN", 1),
        ("FEB", 2),
        ("MAR", 3),
        ("APR", 4),
        ("MAY", 5),
        ("JUN", 6),
        ("JUL", 7),
        ("AUG", 8),
        ("SEP", 9),
        ("OCT", 10),
        ("NOV", 11),
        ("DEC", 12),
    ],
    ..SECOND
};
const DAY_OF_WEEK: FieldDef = FieldDef {
    name: "day-of-week",
    lo: 0,
    hi: 7,
    names: &[
        ("MON", 1),
        ("TUE", 2),
        ("WED", 3),
        ("THU", 4),
        ("FRI", 5),
        ("SAT", 6),
        ("SUN", 7),
    ],
    seven_is_zero: true,
    ..SECOND
};

/// A failure inside one field.
struct Fail {
    message: String,
    span: Range<usize>,
}

/// A value of a range bound: a number or a cron-utils special-character name.
enum Bound {
    Int(i64),
    Special(&'static str),
}

const SPECIAL_NAMES: &[&str] = &["LW", "L", "W", "HASH", "QUESTION_MARK", "NONE"];

struct Field<'a> {
    def: &'a FieldDef,
    /// The field as written (for messages).
    token: &'a str,
    token_off: usize,
}

impl Field<'_> {
    fn fail(&self, message: String, text: &str, off: usize) -> Fail {
        let whole = self.token_off..self.token_off + self.token.len();
        let rel = off.saturating_sub(self.token_off);
        // Keep the span inside the token and on char boundaries (texts built with `replace`
        // can be shorter than what they came from).
        let span = if text.is_empty() || off < self.token_off {
            whole
        } else if self.token.get(rel..rel + text.len()).is_some() {
            off..off + text.len()
        } else {
            whole
        };
        Fail { message, span }
    }

    /// The original spelling of `len` bytes at `off` (the parser works on an upper-cased copy).
    fn orig(&self, off: usize, len: usize) -> &str {
        let start = off.saturating_sub(self.token_off);
        self.token.get(start..start + len).unwrap_or(self.token)
    }

    /// `FieldParser.parse`.
    fn parse(&self, s: &str, off: usize) -> Result<(), Fail> {
        if !s.contains(['/', '-', ',']) {
            if s.contains('?') {
                return Err(self.fail(
                    format!(
                        "{} `{}`: `?` is not supported; Kestra uses UNIX cron, write `*` instead",
                        self.def.name,
                        self.orig(off, s.len())
                    ),
                    s,
                    off,
                ));
            }
            if s == "*" {
                return Ok(());
            }
            return self.parse_on(s, off);
        }
        let items = java_split(s, ",");
        if items.len() > 1 {
            for (o, item) in items {
                if item.is_empty() {
                    return Err(self.fail(
                        format!(
                            "{} field `{}` has an empty list item",
                            self.def.name, self.token
                        ),
                        "",
                        off,
                    ));
                }
                self.parse(item, off + o)?;
            }
            return Ok(());
        }
        let dash = java_split(s, "-");
        if s.contains('-') && dash.len() != 2 {
            return Err(self.fail(
                format!(
                    "{} `{}` is not a valid range; write `start-end`",
                    self.def.name,
                    self.orig(off, s.len())
                ),
                s,
                off,
            ));
        }
        if let Some((_, first)) = dash.first() {
            if first.eq_ignore_ascii_case("L") {
                // `L-3`: the third-last day of the month.
                let (o, days) = dash.get(1).copied().unwrap_or((0, ""));
                let nth = self.int_value(days, off + o, true)?;
                self.require_l(s, off)?;
                return self.in_range(nth, days, off + o);
            }
        }
        if dash.len() > 1 {
            return self.parse_between(s, off, &dash);
        }
        self.parse_slash(s, off)
    }

    /// `FieldParser.parseOn` (a single value, possibly with `L`, `W`, `LW` or `#`).
    fn parse_on(&self, s: &str, off: usize) -> Result<(), Fail> {
        let shown = self.orig(off, s.len());
        if s.contains('#') {
            return Err(self.fail(
                format!(
                    "{} `{shown}`: `#` (nth weekday of the month) is not supported by Kestra's cron; use a Schedule condition such as DayWeekInMonth",
                    self.def.name
                ),
                s,
                off,
            ));
        }
        if s.contains("LW") {
            return Err(self.fail(
                format!(
                    "{} `{shown}`: `LW` (last weekday of the month) is not supported by Kestra's cron",
                    self.def.name
                ),
                s,
                off,
            ));
        }
        if has_digit_then(s, 'L') || s == "L" {
            let rest = s.replace('L', "");
            let time = if rest.is_empty() {
                None
            } else {
                Some(self.int_value(&rest, off, true)?)
            };
            self.require_l(s, off)?;
            return match time {
                Some(t) => self.in_range(t, s, off),
                None => Ok(()),
            };
        }
        if has_digit_then(s, 'W') {
            let rest = s.replace('W', "");
            self.int_value(&rest, off, true)?;
            return Err(self.fail(
                format!(
                    "{} `{shown}`: `W` (nearest weekday) is not supported by Kestra's cron",
                    self.def.name
                ),
                s,
                off,
            ));
        }
        let v = self.int_value(s, off, true)?;
        self.in_range(v, s, off)
    }

    /// `a-b` or `a-b/step`.
    fn parse_between(&self, s: &str, off: usize, dash: &[(usize, &str)]) -> Result<(), Fail> {
        let (oa, a) = dash[0];
        let (ob, b) = dash[1];
        if a.is_empty() || b.is_empty() {
            return Err(self.fail(
                format!(
                    "{} `{}` is not a valid range: it needs a start and an end, and negative numbers are not allowed",
                    self.def.name,
                    self.orig(off, s.len())
                ),
                s,
                off,
            ));
        }
        if b.contains('/') {
            let steps = java_split(b, "/");
            let (Some(&(oe, end)), Some(&(op, step))) = (steps.first(), steps.get(1)) else {
                return Err(self.fail(
                    format!(
                        "{} `{}`: a step number is missing after `/`",
                        self.def.name,
                        self.orig(off, s.len())
                    ),
                    s,
                    off,
                ));
            };
            let from = self.bound(a, off + oa)?;
            let to = self.bound(end, off + ob + oe)?;
            let period = self.int_value(step, off + ob + op, true)?;
            self.check_between(&from, &to, s, off, (a, off + oa), (end, off + ob + oe))?;
            return self.check_period(period, (step, off + ob + op), (s, off));
        }
        let from = self.bound(a, off + oa)?;
        let to = self.bound(b, off + ob)?;
        self.check_between(&from, &to, s, off, (a, off + oa), (b, off + ob))
    }

    /// `start/step`, `*/step`, `/step`.
    fn parse_slash(&self, s: &str, off: usize) -> Result<(), Fail> {
        let parts = java_split(s, "/");
        match parts.as_slice() {
            [(_, start), (op, step)] => {
                if *start == "*" && *step == "1" {
                    return Ok(());
                }
                let Some(period) = java_parse_int(step) else {
                    return Err(self.fail(
                        format!(
                            "{} `{}`: step `{}` is not a number",
                            self.def.name,
                            self.orig(off, s.len()),
                            self.orig(off + op, step.len())
                        ),
                        step,
                        off + op,
                    ));
                };
                if !(*start == "*" || start.is_empty()) {
                    let v = self.int_value(start, off, true)?;
                    self.in_range(v, start, off)?;
                }
                self.check_period(period, (step, off + op), (s, off))
            }
            [_] => Err(self.fail(
                format!(
                    "{} `{}`: a step number is missing after `/`",
                    self.def.name,
                    self.orig(off, s.len())
                ),
                s,
                off,
            )),
            _ => Err(self.fail(
                format!(
                    "{} `{}` is not a valid step expression; write `*/n` or `start/n`",
                    self.def.name,
                    self.orig(off, s.len())
                ),
                s,
                off,
            )),
        }
    }

    /// `FieldParser.map`: a range bound.
    fn bound(&self, s: &str, off: usize) -> Result<Bound, Fail> {
        if let Some(name) = SPECIAL_NAMES.iter().find(|n| **n == s) {
            return Ok(Bound::Special(name));
        }
        self.int_value(s, off, false).map(Bound::Int)
    }

    fn check_between(
        &self,
        from: &Bound,
        to: &Bound,
        s: &str,
        off: usize,
        (a, oa): (&str, usize),
        (b, ob): (&str, usize),
    ) -> Result<(), Fail> {
        for (bound, text, o) in [(from, a, oa), (to, b, ob)] {
            match bound {
                Bound::Special("L") => self.require_l(text, o)?,
                Bound::Special(_) => {
                    return Err(self.fail(
                        format!(
                            "{} range `{}`: `{}` cannot be a range bound",
                            self.def.name,
                            self.orig(off, s.len()),
                            self.orig(o, text.len())
                        ),
                        text,
                        o,
                    ))
                }
                Bound::Int(v) => self.in_range(*v, text, o)?,
            }
        }
        if let (Bound::Int(x), Bound::Int(y)) = (from, to) {
            if x > y {
                let mut message = format!(
                    "{} range `{}` goes backwards ({x} > {y}); ranges must go from low to high",
                    self.def.name,
                    self.orig(off, s.len())
                );
                if self.def.seven_is_zero && *x == 7 {
                    message.push_str("; SUN is 7 here, write `0` for a range starting on Sunday");
                }
                return Err(self.fail(message, s, off));
            }
        }
        Ok(())
    }

    /// `FieldConstraints.isPeriodInRange`.
    fn check_period(
        &self,
        period: i64,
        (text, off): (&str, usize),
        (whole, whole_off): (&str, usize),
    ) -> Result<(), Fail> {
        let max = (self.def.hi - self.def.lo + 1).min(self.def.hi);
        if period > 0 && period <= max {
            return Ok(());
        }
        let shown_whole = self.orig(whole_off, whole.len());
        let shown = self.orig(off, text.len());
        let message = if self.def.seven_is_zero
            && period == 0
            && text.trim_start_matches('+') != "0"
        {
            format!(
                    "{} `{shown_whole}`: after a range, step `{shown}` is read like a day value (7 = Sunday = 0), and a step of 0 is invalid; steps must be 1-{max}",
                    self.def.name
                )
        } else {
            format!(
                "{} `{shown_whole}`: step `{shown}` is out of range 1-{max}",
                self.def.name
            )
        };
        Err(self.fail(message, text, off))
    }

    /// `L` is accepted only in the day-of-month field.
    fn require_l(&self, text: &str, off: usize) -> Result<(), Fail> {
        if self.def.supports_l {
            return Ok(());
        }
        let shown = self.orig(off, text.len());
        let message = if self.def.seven_is_zero {
            format!(
                "day-of-week `{shown}`: `L` (last weekday of the month) is not supported by Kestra's cron; `L` is only allowed in the day-of-month field"
            )
        } else {
            format!(
                "{} `{shown}`: `L` (last) is only allowed in the day-of-month field",
                self.def.name
            )
        };
        Err(self.fail(message, text, off))
    }

    fn in_range(&self, v: i64, text: &str, off: usize) -> Result<(), Fail> {
        if v >= self.def.lo && v <= self.def.hi {
            return Ok(());
        }
        Err(self.fail(
            format!(
                "{} field `{}` is out of range {}-{}",
                self.def.name,
                self.orig(off, text.len()),
                self.def.lo,
                self.def.hi
            ),
            text,
            off,
        ))
    }

    /// `FieldParser.stringToInt` (+ `intToInt` when `mapped`).
    fn int_value(&self, s: &str, off: usize, mapped: bool) -> Result<i64, Fail> {
        let value = if let Some((_, v)) = self.def.names.iter().find(|(n, _)| *n == s) {
            *v
        } else if let Some(v) = java_parse_int(s) {
            v
        } else {
            return Err(self.not_a_value(s, off));
        };
        Ok(if mapped && self.def.seven_is_zero && value == 7 {
            0
        } else {
            value
        })
    }

    fn not_a_value(&self, s: &str, off: usize) -> Fail {
        let shown = self.orig(off, s.len());
        let name = self.def.name;
        if s.is_empty() {
            return self.fail(
                format!("{name} field `{}` has an empty value", self.token),
                s,
                off,
            );
        }
        if is_number_like(s) {
            return self.fail(
                format!(
                    "{name} field `{shown}` is out of range {}-{}",
                    self.def.lo, self.def.hi
                ),
                s,
                off,
            );
        }
        if s == "H" || (s.starts_with('H') && s[1..].starts_with('(')) {
            return self.fail(
                format!("{name} `{shown}`: `H` (hashed value) is not supported by Kestra's cron"),
                s,
                off,
            );
        }
        if s.contains('?') {
            return self.fail(
                format!(
                    "{name} `{shown}`: `?` is not supported; Kestra uses UNIX cron, write `*` instead"
                ),
                s,
                off,
            );
        }
        let letters = s.chars().all(|c| c.is_ascii_alphabetic());
        if !self.def.names.is_empty() && letters {
            let (kind, list) = if self.def.seven_is_zero {
                ("day", "MON, TUE, …")
            } else {
                ("month", "JAN, FEB, …")
            };
            let mut message = format!("{name} `{shown}` is not a {kind} name ({list})");
            if let Some((close, _)) = self
                .def
                .names
                .iter()
                .find(|(n, _)| s.len() > 3 && s.starts_with(n))
                .or_else(|| {
                    self.def
                        .names
                        .iter()
                        .find(|(n, _)| super::timezone::edit_distance(s, n) <= 1)
                })
            {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            return self.fail(message, s, off);
        }
        if letters && self.def.names.is_empty() {
            let hint = match s {
                "JAN" | "FEB" | "MAR" | "APR" | "MAY" | "JUN" | "JUL" | "AUG" | "SEP" | "OCT"
                | "NOV" | "DEC" => "; month names belong in the 4th field (5th with seconds)",
                "MON" | "TUE" | "WED" | "THU" | "FRI" | "SAT" | "SUN" => {
                    "; day names belong in the last field"
                }
                _ => "",
            };
            return self.fail(format!("{name} `{shown}` is not a number{hint}"), s, off);
        }
        self.fail(format!("{name} `{shown}` is not a number"), s, off)
    }
}

/// `Integer.parseInt` on ASCII digits: optional sign, digits, within `i32`.
fn java_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 10 {
        return None;
    }
    let magnitude: i64 = if trimmed.is_empty() {
        0
    } else {
        trimmed.parse().ok()?
    };
    let v = if s.starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    (i64::from(i32::MIN)..=i64::from(i32::MAX))
        .contains(&v)
        .then_some(v)
}

fn is_number_like(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Regex `[0-9]<c>` found anywhere in `s`.
fn has_digit_then(s: &str, c: char) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && char::from(w[1]) == c)
}

/// Java `String.split` with a literal separator: pieces with their byte offsets; when the
/// separator occurs, trailing empty pieces are dropped.
fn java_split<'a>(s: &'a str, sep: &str) -> Vec<(usize, &'a str)> {
    if !s.contains(sep) {
        return vec![(0, s)];
    }
    let mut out = Vec::new();
    let mut start = 0;
    while let Some(i) = s[start..].find(sep) {
        out.push((start, &s[start..start + i]));
        start += i + sep.len();
    }
    out.push((start, &s[start..]));
    while out.last().is_some_and(|(_, p)| p.is_empty()) {
        out.pop();
    }
    out
}

/// Java `split("\\s+")`: a leading empty piece is kept, trailing empty pieces are dropped.
fn java_split_whitespace(s: &str) -> Vec<(usize, &str)> {
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r');
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_ws = false;
    let mut any = false;
    for (i, c) in s.char_indices() {
        if is_ws(c) {
            if !in_ws {
                out.push((start, &s[start..i]));
                in_ws = true;
                any = true;
            }
        } else if in_ws {
            start = i;
            in_ws = false;
        }
    }
    if !in_ws {
        out.push((start, &s[start..]));
    }
    if !any {
        return vec![(0, s)];
    }
    while out.last().is_some_and(|(_, p)| p.is_empty()) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(e: &str) {
        if let Err(err) = check_cron(e, false) {
            panic!("`{e}` should be valid, got: {err:?}");
        }
    }
    fn ok_s(e: &str) {
        if let Err(err) = check_cron(e, true) {
            panic!("`{e}` (withSeconds) should be valid, got: {err:?}");
        }
    }
    fn bad(e: &str) -> CronError {
        match check_cron(e, false) {
            Ok(()) => panic!("`{e}` should be invalid"),
            Err(err) => {
                assert!(
                    err.span.end <= e.len() && err.span.start <= err.span.end,
                    "{err:?}"
                );
                err
            }
        }
    }
    fn bad_s(e: &str) -> CronError {
        check_cron(e, true).expect_err(e)
    }

    #[test]
    fn kestra_docs_examples() {
        // Schedule trigger plugin page and docs/workflow-components/triggers/schedule-trigger.
        for e in [
            "*/15 * * * *",
            "@hourly",
            "0 11 * * 1",
            "30 6 * * *",
            "0 9 * * *",
            "@daily",
            "0 0 * * *",
            "0 9 * * MON-FRI",
            "0 0 1 * *",
            "1 1 1 1 1",
            "0 12 * * 1",
            "12 9 1 * *",
            "30 0 1 * *",
        ] {
            ok(e);
        }
        ok_s("* * * * * *");
        ok_s("*/30 * * * * *");
        ok_s("0 0 9 * * *");
        ok_s("@hourly");
    }

    #[test]
    fn corpus_crons() {
        // Every distinct `cron:` value of shared/corpus/flows (comments stripped by YAML).
        for e in [
            "*/1 * * * *",
            "0 9 * * *",
            "*/15 * * * *",
            "@hourly",
            "0 10 * * *",
            "0 * * * *",
            "0 6 * * *",
            "@daily",
            "0 8 * * *",
            "*/5 * * * *",
            "*/30 * * * *",
            "0 9 1 * *",
            "0 9 * * MON",
            "0 4 * * 1",
            "0 10 * * 5",
            "0 */6 * * *",
            "30 7 * * *",
            "15 */6 * * *",
            "15 */4 * * *",
            "0 9 15 * *",
            "0 8 1 * *",
            "0 3 * * *",
            "0 2 * * *",
            "0 17 * * FRI",
            "0 17 * * *",
            "0 14 25 12 *",
            "0 11 * * MON",
            "0 11 * * 4",
            "0 11 * * *",
            "0 */4 * * *",
            "0 */2 * * *",
            "0 */12 * * *",
            "* * * * *",
        ] {
            ok(e);
        }
    }

    #[test]
    fn macros() {
        for m in MACROS {
            ok(m);
            ok_s(m);
        }
        let e = bad("@everyday");
        assert_eq!(
            e.message,
            "unknown macro `@everyday`; Kestra accepts @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly"
        );
        assert_eq!(e.span, 0..9);
        assert!(bad("@reboot").message.contains("@reboot"));
        assert!(bad("@DAILY").message.contains("write `@daily`"));
        assert!(bad("@dayly").message.contains("did you mean `@daily`?"));
        assert!(bad(" @daily")
            .message
            .contains("without surrounding spaces"));
        bad("@daily ");
        bad("@");
        assert!(bad("@every 5m")
            .message
            .starts_with("unknown macro `@every 5m`"));
    }

    #[test]
    fn field_count() {
        let e = bad("* * * *");
        assert_eq!(
            e.message,
            "expected 5 fields (minute hour day-of-month month day-of-week), found 4"
        );
        assert_eq!(e.field, None);
        assert!(bad("0 0 9 * * *").message.contains("withSeconds: true"));
        assert!(bad_s("0 9 * * *").message.starts_with(
            "expected 6 fields (second minute hour day-of-month month day-of-week), found 5"
        ));
        assert!(bad("0 0 12 * * ? 2024").message.contains("year"));
        bad("");
        bad("   ");
    }

    #[test]
    fn out_of_range() {
        let e = bad("61 * * * *");
        assert_eq!(e.message, "minute field `61` is out of range 0-59");
        assert_eq!(e.field, Some(0));
        assert_eq!(e.span, 0..2);
        let e = bad("0 24 * * *");
        assert_eq!(e.message, "hour field `24` is out of range 0-23");
        assert_eq!(e.span, 2..4);
        assert!(bad("0 0 0 * *").message.contains("day-of-month field `0`"));
        assert!(bad("0 0 32 * *").message.contains("out of range 1-31"));
        assert!(bad("0 0 * 13 *").message.contains("month field `13`"));
        assert!(bad("0 0 * 0 *").message.contains("month field `0`"));
        assert!(bad("0 0 * * 8")
            .message
            .contains("day-of-week field `8` is out of range 0-7"));
        let e = bad("0 1-61 * * *");
        assert_eq!(e.span, 4..6);
        assert!(bad("0 0 * * 99999999999").message.contains("out of range"));
        assert!(bad_s("60 * * * * *").message.contains("second field `60`"));
    }

    #[test]
    fn names() {
        for e in [
            "0 9 * JAN *",
            "0 9 * jan-mar *",
            "0 9 * * mon",
            "0 9 * * Mon-Fri",
            "0 9 * * SAT,SUN",
            "0 9 * JAN,JUL MON",
            "0 9 * * SAT-SUN",
            "0 9 * * 0",
            "0 9 * * 7",
            "0 9 * * 0-7",
            "0 9 * * 5-7",
        ] {
            ok(e);
        }
        let e = bad("0 9 * * MOM");
        assert_eq!(
            e.message,
            "day-of-week `MOM` is not a day name (MON, TUE, …); did you mean `MON`?"
        );
        assert_eq!(e.span, 8..11);
        assert!(bad("0 9 * * MONDAY")
            .message
            .contains("did you mean `MON`?"));
        assert!(bad("0 9 * JANUARY *").message.contains("not a month name"));
        assert!(bad("0 9 * * JAN").message.contains("not a day name"));
        assert!(bad("0 9 MON * *").message.contains("day names belong"));
        // SUN is 7: the range goes backwards in cron-utils.
        assert!(bad("0 9 * * SUN-SAT").message.contains("goes backwards"));
        assert!(bad("0 9 * * FRI-MON").message.contains("goes backwards"));
    }

    #[test]
    fn steps_ranges_lists() {
        for e in [
            "*/5 * * * *",
            "0/5 * * * *",
            "/5 * * * *",
            "5/15 * * * *",
            "1-30/5 * * * *",
            "0 9-17 * * 1-5",
            "0 9-17/2 * * *",
            "0,15,30,45 * * * *",
            "0 8,12,18 * * *",
            "0 0 1,15 * *",
            "*/59 * * * *",
            "0 */23 * * *",
            "0 0 */31 * *",
            "0 0 * */12 *",
            "0 0 * * */7",
            "0 0 * * 1-5/2",
            "*/1 * * * *",
            "+5 * * * *",
            "05 09 * * *",
            "1-5/2/9 * * * *",
            "1-5,10-15 * * * *",
            "0  9   *  * *",
            "\t0 9 * * *\n",
        ] {
            ok(e);
        }
        assert!(bad("*/60 * * * *")
            .message
            .contains("step `60` is out of range 1-59"));
        assert!(bad("*/0 * * * *").message.contains("step `0`"));
        assert!(bad("0 */24 * * *").message.contains("1-23"));
        assert!(bad("0 0 * * */8").message.contains("1-7"));
        assert!(bad("0 0 * * 1-5/7").message.contains("7 = Sunday = 0"));
        assert!(bad("*/x * * * *")
            .message
            .contains("step `x` is not a number"));
        assert!(bad("5/ * * * *").message.contains("missing"));
        assert!(bad("1-5/ * * * *").message.contains("missing"));
        assert!(bad("1/2/3 * * * *").message.contains("step expression"));
        assert!(bad("0 5-1 * * *")
            .message
            .contains("goes backwards (5 > 1)"));
        assert!(bad("1- * * * *").message.contains("not a valid range"));
        assert!(bad("-1 * * * *").message.contains("negative"));
        assert!(bad("1-2-3 * * * *").message.contains("not a valid range"));
        let e = bad("1,2, * * * *");
        assert!(e.message.contains("trailing `,`"), "{e:?}");
        assert!(bad("1,,2 * * * *").message.contains("empty"));
        assert!(bad(",1 * * * *").message.contains("empty"));
        bad("* * * * * ,");
    }

    #[test]
    fn special_characters() {
        assert!(bad("0 0 ? * MON").message.contains("`?` is not supported"));
        assert!(bad("0 0 * * ?").message.contains("`?`"));
        assert!(bad("0 0 1,? * *").message.contains("`?`"));
        assert!(bad("0 0 ?/2 * *").message.contains("`?`"));
        assert!(bad("0 0 15W * *").message.contains("`W`"));
        assert!(bad("0 0 LW * *").message.contains("`LW`"));
        assert!(bad("0 0 * * 5#3").message.contains("`#`"));
        assert!(bad("0 0 * * 5L").message.contains("day-of-week `5L`"));
        assert!(bad("0 0 * * FRIL").message.contains("FRIL"));
        assert!(bad("L * * * *")
            .message
            .contains("only allowed in the day-of-month"));
        assert!(bad("H * * * *").message.contains("`H`"));
        assert!(bad("H(0-29) * * * *").message.contains("`H`"));
        // Newer Kestra enables `L` in day-of-month.
        for e in [
            "0 0 L * *",
            "0 0 L-3 * *",
            "0 0 5L * *",
            "0 0 1,L * *",
            "0 0 20-L * *",
        ] {
            ok(e);
        }
        assert!(bad("0 0 L-0 * *").message.contains("out of range"));
        assert!(bad("0 0 1-W * *").message.contains("range bound"));
        let e = bad("0 0 5Lé * *");
        assert!(e.span.start >= 4 && e.span.end <= 8, "{e:?}");
    }

    #[test]
    fn composite() {
        ok("0 9 * * 1 || 0 10 * * 2");
        ok("0|30 9 * * *");
        ok("0|30 9|10 * * *");
        let e = bad("0|30 9|10|11 * * *");
        assert!(e.message.contains("alternative"), "{e:?}");
        assert!(bad("0 9 * * 1 || 61 * * * *")
            .message
            .contains("out of range"));
        assert!(bad("0|61 9 * * *")
            .message
            .contains("in alternative `61 9 * * *`"));
        bad("||");
        bad("|");
        // Java's split drops the trailing empty part: accepted by Kestra.
        ok("0 9 * * 1 ||");
        ok("0 9 * * 1 || 0 0 * * *");
        ok("@daily||@hourly");
        assert!(bad("0 9 * * 1 || @daily")
            .message
            .contains("surrounding spaces"));
    }

    #[test]
    fn with_seconds() {
        ok_s("*/10 * * * * *");
        ok_s("0 30 9 * * MON-FRI");
        ok_s("30 */5 * * * *");
        let e = bad_s("0 61 * * * *");
        assert_eq!(e.field, Some(1));
        assert_eq!(e.message, "minute field `61` is out of range 0-59");
    }

    #[test]
    fn never_panics() {
        let samples = [
            "",
            " ",
            "@",
            "@@",
            "|",
            "||",
            "|||",
            "| |",
            "a|",
            "|a",
            "-",
            "/",
            ",",
            "--",
            "//",
            "-/",
            "/-",
            "L",
            "L-",
            "-L",
            "L/",
            "#",
            "##",
            "1#",
            "#1",
            "é * * * *",
            "* * * * é",
            "ſ * * * *",
            "0 0 ı * *",
            "\u{0} * * * *",
            "* * * * *\u{0}",
            "0-é * * * *",
            "1-5/é * * * *",
            "@\u{0}",
            "🙂 🙂 🙂 🙂 🙂",
            "0|🙂 * * * *",
        ];
        for s in samples {
            let _ = check_cron(s, false);
            let _ = check_cron(s, true);
            for f in 0..5 {
                let mut fields = ["*"; 5];
                fields[f] = s;
                let e = fields.join(" ");
                if let Err(err) = check_cron(&e, false) {
                    assert!(err.span.end <= e.len(), "{e:?} {err:?}");
                    assert!(e.is_char_boundary(err.span.start) && e.is_char_boundary(err.span.end));
                }
            }
        }
        let deep = "0|1 ".repeat(50) + "* * * *";
        let _ = check_cron(&deep, false);
        let deep2 = "||".repeat(1000);
        let _ = check_cron(&deep2, false);
    }
}
