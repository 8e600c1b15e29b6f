//! Input `validator` (STRING/SECRET) and SELECT/ENUM `values`: must compile with Java's
//! `java.util.regex.Pattern` (Kestra's `@Regex` → `invalid pattern [<value>]`).
//!
//! A small syntax checker that follows the structure of `Pattern`'s parser (JDK 21) and reports
//! only what `Pattern.compile` certainly rejects:
//! unclosed or unmatched groups, unclosed classes, reversed class ranges, a quantifier with
//! nothing to repeat (`*a`, `a**`, `a|+b`, `(?i)*`), malformed or reversed `{n,m}`, a `{` that
//! is not a valid repetition, a trailing lone backslash, escapes Java does not define (`\y`,
//! `\E` without `\Q`, `\1` or `\b` inside a class…), malformed `\x`, `\u`, `\0`, `\c`, `\p{}`,
//! `\k<…>` naming an undefined group, unknown `(?…)` constructs (`(?#…)`, `(?P<n>…)`) and
//! duplicate or malformed group names.
//!
//! Everything else Java accepts is accepted: look-ahead/behind, back-references, possessive and
//! lazy quantifiers, atomic groups, named groups, inline flags, `\p{…}` (names are not checked),
//! `\Q…\E`, POSIX-looking classes, class union/intersection, `\h \R \X \N{…}`. Patterns using
//! the `x` (comments) flag are not checked. Look-behind length limits are not checked.

/// Checks that `pattern` compiles as a Java regular expression.
pub fn check_java_regex(pattern: &str) -> Result<(), String> {
    let tokens = tokenize(pattern);
    let mut p = Parser {
        t: &tokens,
        i: 0,
        len: pattern.len(),
        names: Vec::new(),
        groups: 0,
        comments: false,
    };
    match p.expr(0) {
        Err(Stop::Bail) => Ok(()),
        Err(Stop::Error(msg, off)) => Err(format!("invalid pattern: {msg} at offset {off}")),
        Ok(()) => {
            if p.comments {
                return Ok(());
            }
            match p.peek() {
                None => Ok(()),
                Some(t) if t.is(')') => Err(format!(
                    "invalid pattern: unmatched closing `)` at offset {}",
                    t.off
                )),
                Some(t) => Err(format!(
                    "invalid pattern: unexpected `{}` at offset {}",
                    t.c, t.off
                )),
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    c: char,
    /// Quoted by `\Q…\E`: always a literal.
    lit: bool,
    off: usize,
}

impl Tok {
    fn is(&self, c: char) -> bool {
        !self.lit && self.c == c
    }
}

/// Splits into chars, resolving `\Q…\E` quoting first (like `Pattern.RemoveQEQuoting`).
fn tokenize(pattern: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = pattern.char_indices().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        if c == '\\' {
            match chars.get(i + 1) {
                Some(&(_, 'Q')) => {
                    i += 2;
                    while i < chars.len() {
                        if chars[i].1 == '\\' && chars.get(i + 1).is_some_and(|x| x.1 == 'E') {
                            i += 2;
                            break;
                        }
                        out.push(Tok {
                            c: chars[i].1,
                            lit: true,
                            off: chars[i].0,
                        });
                        i += 1;
                    }
                    continue;
                }
                Some(&(o2, c2)) => {
                    out.push(Tok { c, lit: false, off });
                    out.push(Tok {
                        c: c2,
                        lit: false,
                        off: o2,
                    });
                    i += 2;
                    continue;
                }
                None => {}
            }
        }
        out.push(Tok { c, lit: false, off });
        i += 1;
    }
    out
}

enum Stop {
    /// A construct this checker does not follow (comments mode, very deep nesting): accept.
    Bail,
    Error(String, usize),
}

type R<T> = Result<T, Stop>;

/// What an escape stands for.
enum Esc {
    /// A single character (value known or not).
    Char(Option<u32>),
    /// A class such as `\d`, or a zero-width assertion / back-reference.
    Other,
}

const MAX_DEPTH: usize = 500;

struct Parser<'t> {
    t: &'t [Tok],
    i: usize,
    len: usize,
    names: Vec<String>,
    groups: usize,
    comments: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<Tok> {
        self.t.get(self.i).copied()
    }
    fn peek_at(&self, k: usize) -> Option<Tok> {
        self.t.get(self.i + k).copied()
    }
    fn off(&self) -> usize {
        self.peek().map_or(self.len, |t| t.off)
    }
    fn err<T>(&self, msg: impl Into<String>, off: usize) -> R<T> {
        Err(Stop::Error(msg.into(), off))
    }

    /// `Pattern.expr`: alternatives.
    fn expr(&mut self, depth: usize) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(Stop::Bail);
        }
        loop {
            self.sequence(depth)?;
            match self.peek() {
                Some(t) if t.is('|') => self.i += 1,
                _ => return Ok(()),
            }
        }
    }

    /// `Pattern.sequence`: atoms, each followed by at most one quantifier.
    fn sequence(&mut self, depth: usize) -> R<()> {
        while let Some(t) = self.peek() {
            if t.lit {
                self.i += 1;
                self.closure()?;
                continue;
            }
            match t.c {
                '|' | ')' => return Ok(()),
                '(' => {
                    self.i += 1;
                    if self.group(t.off, depth)? {
                        self.closure()?;
                    }
                }
                '[' => {
                    self.i += 1;
                    self.class(t.off, depth)?;
                    self.closure()?;
                }
                '\\' => {
                    self.i += 1;
                    self.escape(false, t.off)?;
                    self.closure()?;
                }
                '*' | '+' | '?' => {
                    return self.err(
                        format!("dangling quantifier `{}` (nothing to repeat)", t.c),
                        t.off,
                    )
                }
                '{' => {
                    // Java reads an empty atom, then the `{` must start a counted repetition.
                    self.closure()?;
                }
                _ => {
                    self.i += 1;
                    self.closure()?;
                }
            }
        }
        Ok(())
    }

    /// `Pattern.closure`: an optional quantifier after an atom.
    fn closure(&mut self) -> R<()> {
        let Some(t) = self.peek() else {
            return Ok(());
        };
        if t.lit {
            return Ok(());
        }
        match t.c {
            '*' | '+' | '?' => self.i += 1,
            '{' => {
                let digit = self
                    .peek_at(1)
                    .is_some_and(|d| !d.lit && d.c.is_ascii_digit());
                if !digit {
                    return self.err(
                        "`{` is not a valid repetition `{n}`, `{n,}` or `{n,m}`",
                        t.off,
                    );
                }
                self.i += 1;
                let min = self.number();
                let mut max = min;
                if self.peek().is_some_and(|c| c.is(',')) {
                    self.i += 1;
                    max = if self.peek().is_some_and(|c| c.is('}')) {
                        Some(i64::from(i32::MAX))
                    } else {
                        self.number().or(Some(0))
                    };
                }
                if !self.peek().is_some_and(|c| c.is('}')) {
                    return self.err("unclosed repetition `{`", t.off);
                }
                self.i += 1;
                match (min, max) {
                    (Some(a), Some(b)) if a <= b => {}
                    (Some(a), Some(b)) if a > b => {
                        return self.err(
                            format!("repetition range {{{a},{b}}} goes backwards"),
                            t.off,
                        )
                    }
                    _ => return self.err("repetition count is too large", t.off),
                }
            }
            _ => return Ok(()),
        }
        if self.peek().is_some_and(|c| c.is('?') || c.is('+')) {
            self.i += 1;
        }
        Ok(())
    }

    /// ASCII digits as an `int` (None on overflow, or when there are none).
    fn number(&mut self) -> Option<i64> {
        let mut v: i64 = 0;
        let mut any = false;
        let mut overflow = false;
        while let Some(t) = self.peek() {
            if t.lit || !t.c.is_ascii_digit() {
                break;
            }
            any = true;
            v = v * 10 + i64::from(t.c as u8 - b'0');
            if v > i64::from(i32::MAX) {
                overflow = true;
                v = i64::from(i32::MAX);
            }
            self.i += 1;
        }
        (any && !overflow).then_some(v)
    }

    /// After `(`; returns false for a pure flag group `(?i)` (which takes no quantifier).
    fn group(&mut self, open: usize, depth: usize) -> R<bool> {
        if self.peek().is_some_and(|t| t.is('?')) {
            self.i += 1;
            let Some(t) = self.peek() else {
                return self.err("unclosed group `(`", open);
            };
            match (t.lit, t.c) {
                (false, ':' | '=' | '!' | '>') => self.i += 1,
                (false, '<') => {
                    self.i += 1;
                    match self.peek() {
                        Some(n) if n.is('=') || n.is('!') => self.i += 1,
                        Some(n) if n.c.is_ascii_alphabetic() => {
                            let mut name = String::new();
                            while let Some(c) = self.peek() {
                                if c.c.is_ascii_alphanumeric() {
                                    name.push(c.c);
                                    self.i += 1;
                                } else {
                                    break;
                                }
                            }
                            if !self.peek().is_some_and(|c| c.is('>')) {
                                return self.err(
                                    format!("named group `{name}` is missing its closing `>`"),
                                    self.off(),
                                );
                            }
                            self.i += 1;
                            if self.names.contains(&name) {
                                return self
                                    .err(format!("named group `{name}` is already defined"), open);
                            }
                            self.names.push(name);
                            self.groups += 1;
                        }
                        _ => return self.err(
                            "a group name must start with a Latin letter (or use `(?<=` / `(?<!`)",
                            self.off(),
                        ),
                    }
                }
                _ => {
                    // Inline flags: [idmsuxcU]* ('-' [idmsuxcU]*)? then `)` or `:`.
                    let mut minus = false;
                    while let Some(f) = self.peek() {
                        if f.lit {
                            break;
                        }
                        match f.c {
                            'i' | 'd' | 'm' | 's' | 'u' | 'c' | 'U' => self.i += 1,
                            'x' => {
                                if !minus {
                                    self.comments = true;
                                    return Err(Stop::Bail);
                                }
                                self.i += 1;
                            }
                            '-' if !minus => {
                                minus = true;
                                self.i += 1;
                            }
                            _ => break,
                        }
                    }
                    match self.peek() {
                        Some(c) if c.is(')') => {
                            self.i += 1;
                            return Ok(false);
                        }
                        Some(c) if c.is(':') => self.i += 1,
                        Some(c) => {
                            let what = if c.is('#') {
                                "inline comments `(?#…)` are not supported by Java".to_string()
                            } else if c.is('P') {
                                "`(?P…)` is Python syntax; Java names groups with `(?<name>…)`"
                                    .to_string()
                            } else {
                                format!("unknown inline modifier `{}` after `(?`", c.c)
                            };
                            return self.err(what, c.off);
                        }
                        None => return self.err("unclosed group `(`", open),
                    }
                }
            }
        } else {
            self.groups += 1;
        }
        self.expr(depth + 1)?;
        match self.peek() {
            Some(t) if t.is(')') => {
                self.i += 1;
                Ok(true)
            }
            _ => self.err("unclosed group `(`", open),
        }
    }

    /// After `[`: a character class (`Pattern.clazz`).
    fn class(&mut self, open: usize, depth: usize) -> R<()> {
        if depth > MAX_DEPTH {
            return Err(Stop::Bail);
        }
        if self.peek().is_some_and(|t| t.is('^')) {
            self.i += 1;
        }
        let mut has_content = false;
        loop {
            let Some(t) = self.peek() else {
                return self.err("unclosed character class `[`", open);
            };
            if !t.lit {
                match t.c {
                    ']' if has_content => {
                        self.i += 1;
                        return Ok(());
                    }
                    '[' => {
                        self.i += 1;
                        self.class(t.off, depth + 1)?;
                        has_content = true;
                        continue;
                    }
                    '&' if self.peek_at(1).is_some_and(|n| n.is('&')) => {
                        self.i += 2;
                        has_content = true;
                        continue;
                    }
                    _ => {}
                }
            }
            // A single element, possibly the start of a range.
            let start = self.class_atom()?;
            has_content = true;
            let Some(lo) = start else { continue };
            let is_range = self.peek().is_some_and(|d| d.is('-'))
                && self.peek_at(1).is_none_or(|n| !(n.is(']') || n.is('[')));
            if !is_range {
                continue;
            }
            let dash = self.off();
            self.i += 1;
            let Some(end_tok) = self.peek() else {
                return self.err("unclosed character class `[`", open);
            };
            let hi = self.class_atom()?;
            match (lo, hi) {
                (Some(a), Some(Some(b))) if b < a => {
                    return self.err(
                        format!(
                            "character range `{}-{}` goes backwards",
                            char::from_u32(a).unwrap_or('?'),
                            char::from_u32(b).unwrap_or('?')
                        ),
                        dash,
                    )
                }
                (_, None) => {
                    return self.err(
                        "a character class like `\\d` cannot end a range",
                        end_tok.off,
                    )
                }
                _ => {}
            }
        }
    }

    /// One class element. `Some(Some(v))`/`Some(None)`: a single char (value known/unknown);
    /// `None`: a class escape such as `\d` or `\p{L}`.
    fn class_atom(&mut self) -> R<Option<Option<u32>>> {
        let Some(t) = self.peek() else {
            return Ok(None);
        };
        self.i += 1;
        if t.lit || t.c != '\\' {
            return Ok(Some(Some(u32::from(t.c))));
        }
        Ok(match self.escape(true, t.off)? {
            Esc::Char(v) => Some(v),
            Esc::Other => None,
        })
    }

    /// After a backslash (`Pattern.escape` and `family`).
    fn escape(&mut self, in_class: bool, at: usize) -> R<Esc> {
        let Some(t) = self.peek() else {
            return self.err("trailing backslash `\\` escapes nothing", at);
        };
        self.i += 1;
        let c = t.c;
        let unsupported = |p: &Self, why: &str| -> R<Esc> {
            p.err(format!("`\\{c}` is not a valid Java escape{why}"), at)
        };
        match c {
            '0' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 3 {
                    match self.peek() {
                        Some(d) if !d.lit && ('0'..='7').contains(&d.c) => {
                            let nv = v * 8 + (d.c as u32 - '0' as u32);
                            if nv > 0o377 {
                                break;
                            }
                            v = nv;
                            n += 1;
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                if n == 0 {
                    return self.err("`\\0` must be followed by octal digits", at);
                }
                Ok(Esc::Char(Some(v)))
            }
            '1'..='9' => {
                if in_class {
                    return unsupported(self, " inside a character class");
                }
                Ok(Esc::Other)
            }
            'a' => Ok(Esc::Char(Some(7))),
            'e' => Ok(Esc::Char(Some(27))),
            'f' => Ok(Esc::Char(Some(12))),
            'n' => Ok(Esc::Char(Some(10))),
            'r' => Ok(Esc::Char(Some(13))),
            't' => Ok(Esc::Char(Some(9))),
            'c' => match self.peek() {
                Some(x) => {
                    self.i += 1;
                    Ok(Esc::Char(Some(u32::from(x.c) ^ 64)))
                }
                None => self.err("`\\c` must be followed by a character", at),
            },
            'u' => {
                let mut v = 0u32;
                for _ in 0..4 {
                    match self
                        .peek()
                        .and_then(|d| d.c.to_digit(16).filter(|_| !d.lit))
                    {
                        Some(d) => {
                            v = v * 16 + d;
                            self.i += 1;
                        }
                        None => {
                            return self.err("`\\u` must be followed by 4 hexadecimal digits", at)
                        }
                    }
                }
                Ok(Esc::Char(Some(v)))
            }
            'x' => {
                if self.peek().is_some_and(|b| b.is('{')) {
                    self.i += 1;
                    let mut v: u64 = 0;
                    let mut n = 0;
                    while let Some(d) = self
                        .peek()
                        .and_then(|d| d.c.to_digit(16).filter(|_| !d.lit))
                    {
                        v = (v * 16 + u64::from(d)).min(0x11_0000);
                        n += 1;
                        self.i += 1;
                    }
                    if n == 0 || !self.peek().is_some_and(|b| b.is('}')) || v > 0x10_FFFF {
                        return self.err("malformed `\\x{…}` escape", at);
                    }
                    self.i += 1;
                    return Ok(Esc::Char(u32::try_from(v).ok()));
                }
                let mut v = 0u32;
                for _ in 0..2 {
                    match self
                        .peek()
                        .and_then(|d| d.c.to_digit(16).filter(|_| !d.lit))
                    {
                        Some(d) => {
                            v = v * 16 + d;
                            self.i += 1;
                        }
                        None => {
                            return self.err(
                                "`\\x` must be followed by 2 hexadecimal digits or `{…}`",
                                at,
                            )
                        }
                    }
                }
                Ok(Esc::Char(Some(v)))
            }
            'N' => {
                if !self.peek().is_some_and(|b| b.is('{')) {
                    return self.err("`\\N` must be followed by `{name}`", at);
                }
                while let Some(b) = self.peek() {
                    self.i += 1;
                    if b.is('}') {
                        return Ok(Esc::Char(None));
                    }
                }
                self.err("unclosed `\\N{…}`", at)
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' | 'h' | 'H' | 'v' | 'V' => Ok(Esc::Other),
            'p' | 'P' => {
                match self.peek() {
                    None => return self.err("`\\p` must be followed by a property name", at),
                    Some(b) if b.is('{') => {
                        self.i += 1;
                        let mut n = 0;
                        loop {
                            match self.peek() {
                                None => {
                                    return self.err("unclosed property `\\p{…}`", at);
                                }
                                Some(e) if e.is('}') => {
                                    self.i += 1;
                                    break;
                                }
                                Some(_) => {
                                    n += 1;
                                    self.i += 1;
                                }
                            }
                        }
                        if n == 0 {
                            return self.err("empty property `\\p{}`", at);
                        }
                    }
                    Some(_) => self.i += 1,
                }
                Ok(Esc::Other)
            }
            'b' => {
                if in_class {
                    return unsupported(self, " inside a character class");
                }
                if self.peek().is_some_and(|b| b.is('{')) {
                    let g = self.peek_at(1).is_some_and(|x| x.is('g'));
                    let close = self.peek_at(2).is_some_and(|x| x.is('}'));
                    if g && close {
                        self.i += 3;
                    } else {
                        return self.err("`\\b{` must be `\\b{g}`", at);
                    }
                }
                Ok(Esc::Other)
            }
            'B' | 'A' | 'G' | 'Z' | 'z' | 'R' | 'X' => {
                if in_class {
                    return unsupported(self, " inside a character class");
                }
                Ok(Esc::Other)
            }
            'k' => {
                if in_class {
                    return unsupported(self, " inside a character class");
                }
                if !self.peek().is_some_and(|b| b.is('<')) {
                    return self.err("`\\k` must be followed by `<name>`", at);
                }
                self.i += 1;
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c.c.is_ascii_alphanumeric() && !c.lit {
                        name.push(c.c);
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                if !self.peek().is_some_and(|b| b.is('>'))
                    || !name.starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    return self.err("`\\k<name>` is malformed", at);
                }
                self.i += 1;
                if !self.names.contains(&name) {
                    return self.err(
                        format!("named group `{name}` is not defined before `\\k<{name}>`"),
                        at,
                    );
                }
                Ok(Esc::Other)
            }
            'E' => unsupported(self, " (`\\E` without a matching `\\Q`)"),
            c if c.is_ascii_alphabetic() => unsupported(self, ""),
            c => Ok(Esc::Char(Some(u32::from(c)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_accepts() {
        let ok = [
            r"^student(\d+)?$",
            r"^\d{4}-\d{2}-\d{2}$",
            r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}",
            r"(?=.*[A-Z])(?=.*\d).{8,}",
            r"(?<!foo)bar",
            r"(?<=\$)\d+",
            r"(a)\1",
            r"(?<year>\d{4})-\k<year>",
            r"a*+b++c?+",
            r"a*?b+?c??",
            r"(?>atomic)",
            r"(?i)case",
            r"(?i:x)(?-i)y(?im-sx:z)",
            r"\p{Alpha}\p{javaLowerCase}\P{IsLatin}\pL\p{L}\p{InGreek}",
            r"\Q.*+?[](){}\E",
            r"\Qunterminated (",
            r"[[:alpha:]]",
            r"[a-z&&[^aeiou]]",
            r"[abc[def]]",
            r"[]a]",
            r"[^]a]",
            r"[a-]",
            r"[-a]",
            r"[\[\]]",
            r"\h\H\v\V\R\X",
            r"\x41\x{1F600}\u00e9\0101\cM\t\n\e\a",
            r"\b\B\A\G\Z\z\b{g}",
            r"a{2}{3}",
            r"a*{2}",
            r"{2}",
            r"}",
            r"]",
            r"a{2,}",
            r"a{0}",
            r"\.\-\/\@\ \#",
            "",
            r"(?u)(?U)(?d)(?c)(?s)(?m)",
            r"(?)",
            r"x(?x) a * # comment",
            r"\N{LATIN SMALL LETTER A}",
            r"[\p{L}&&[^\p{Lu}]]",
            r"[\Q]\E]",
            r"(?<=a*)b",
            r"|",
            r"a||b",
            r"()",
            r"$*",
        ];
        for p in ok {
            if let Err(e) = check_java_regex(p) {
                panic!("`{p}` should be accepted: {e}");
            }
        }
    }

    #[test]
    fn java_rejects() {
        let bad = [
            (r"\", "trailing backslash"),
            (r"(", "unclosed group"),
            (r"(a", "unclosed group"),
            (r"a)", "unmatched closing"),
            (r"(?:a", "unclosed group"),
            (r"[a", "unclosed character class"),
            (r"[", "unclosed character class"),
            (r"[]", "unclosed character class"),
            (r"[^]", "unclosed character class"),
            (r"[z-a]", "goes backwards"),
            (r"[a-\d]", "cannot end a range"),
            (r"*a", "dangling quantifier"),
            (r"+", "dangling quantifier"),
            (r"?", "dangling quantifier"),
            (r"a**", "dangling quantifier"),
            (r"a|*b", "dangling quantifier"),
            (r"(*a)", "dangling quantifier"),
            (r"a{2}*", "dangling quantifier"),
            (r"(?i)*", "dangling quantifier"),
            (r"a*?+", "dangling quantifier"),
            (r"a{", "not a valid repetition"),
            (r"a{,3}", "not a valid repetition"),
            (r"a{x}", "not a valid repetition"),
            (r"a{3,1}", "goes backwards"),
            (r"a{2", "unclosed repetition"),
            (r"a{2,3", "unclosed repetition"),
            (r"a{99999999999}", "too large"),
            (r"\y", "not a valid Java escape"),
            (r"\E", "without a matching"),
            (r"\i", "not a valid Java escape"),
            (r"[\1]", "inside a character class"),
            (r"[\b]", "inside a character class"),
            (r"\xZZ", "hexadecimal"),
            (r"\x{110000}", "malformed"),
            (r"\u12", "4 hexadecimal"),
            (r"\0", "octal"),
            (r"\08", "octal"),
            (r"\c", "followed by a character"),
            (r"\p{}", "empty property"),
            (r"\p{Alpha", "unclosed property"),
            (r"\p", "property name"),
            (r"\k<nope>", "not defined"),
            (r"\k", "followed by `<name>`"),
            (r"(?#comment)", "inline comments"),
            (r"(?P<name>x)", "Python"),
            (r"(?<1a>x)", "Latin letter"),
            (r"(?<n>a)(?<n>b)", "already defined"),
            (r"(?<name", "missing its closing"),
            (r"(?q)", "unknown inline modifier"),
            (r"\b{x}", "\\b{g}"),
            (r"\N", "{name}"),
        ];
        for (p, want) in bad {
            match check_java_regex(p) {
                Ok(()) => panic!("`{p}` should be rejected"),
                Err(e) => assert!(e.contains(want), "`{p}`: `{e}` does not mention `{want}`"),
            }
        }
    }

    #[test]
    fn message_format() {
        assert_eq!(
            check_java_regex("abc(de").unwrap_err(),
            "invalid pattern: unclosed group `(` at offset 3"
        );
        assert_eq!(
            check_java_regex("ab)").unwrap_err(),
            "invalid pattern: unmatched closing `)` at offset 2"
        );
    }

    #[test]
    fn never_panics() {
        for p in [
            "\\",
            "\\\\",
            "\\Q",
            "\\Q\\",
            "\\E\\Q",
            "(?",
            "(?<",
            "(?<=",
            "[\\",
            "[a-",
            "[a-\\",
            "\\x{",
            "\\x{ffffffffffffffffffff}",
            "\\u",
            "\\c",
            "é*",
            "[é-a]",
            "🙂{2}",
            "(?<é>)",
            "\\k<",
            "\\N{",
            "{",
            "{9",
            "[&&",
            "[a&&",
            "\\p{",
        ] {
            let _ = check_java_regex(p);
        }
        let deep = "(".repeat(100_000);
        let _ = check_java_regex(&deep);
        let deep_class = "[".repeat(100_000);
        let _ = check_java_regex(&deep_class);
        let long = "a{1}".repeat(10_000);
        assert!(check_java_regex(&long).is_ok());
    }
}
