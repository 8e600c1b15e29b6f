//! Template scanner and expression tokenizer.
//!
//! The rules follow Pebble's `LexerImpl` with Kestra's settings: delimiters
//! `{{ }}`, `{% %}`, `{# #}`, whitespace control with `-`, string
//! interpolation `#{ }` in double-quoted strings, operators matched before
//! names, and a stack of open brackets so that `}}` only closes a print block
//! when no `(`, `[` or `{` is open.  Every loop here advances by at least one
//! byte per step, and no function recurses.

use super::ast::{Span, SyntaxError};

/// The kind of block a `{` opens in template text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delim {
    /// `{{`
    Print,
    /// `{%`
    Tag,
    /// `{#`
    Comment,
}

/// Finds the next `{{`, `{%` or `{#` at or after `from`.
pub fn find_delimiter(src: &str, from: usize) -> Option<(usize, Delim)> {
    let bytes = src.as_bytes();
    let mut i = from;
    while let Some(rel) = bytes.get(i..)?.iter().position(|&b| b == b'{') {
        let at = i + rel;
        match bytes.get(at + 1) {
            Some(b'{') => return Some((at, Delim::Print)),
            Some(b'%') => return Some((at, Delim::Tag)),
            Some(b'#') => return Some((at, Delim::Comment)),
            Some(_) => i = at + 1,
            None => return None,
        }
    }
    None
}

/// Finds the `#}` closing a comment whose content starts at `from`; returns
/// the offset just past it.
pub fn find_comment_end(src: &str, from: usize) -> Option<usize> {
    find_str(src, from, "#}").map(|at| at + 2)
}

fn find_str(src: &str, from: usize, needle: &str) -> Option<usize> {
    src.get(from..)?.find(needle).map(|rel| from + rel)
}

/// Whitespace as Java's `\s` sees it (used in Pebble's delimiter regexes).
fn is_regex_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Whitespace as Java's `Character.isWhitespace` sees it (used between
/// expression tokens): no-break spaces and U+0085 are *not* whitespace.
pub fn is_java_whitespace(c: char) -> bool {
    match c {
        '\u{1C}'..='\u{1F}' => true,
        '\u{85}' | '\u{A0}' | '\u{2007}' | '\u{202F}' => false,
        _ => c.is_whitespace(),
    }
}

fn skip_regex_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|&b| is_regex_space(b)) {
        i += 1;
    }
    i
}

fn skip_byte_run(bytes: &[u8], mut i: usize, b: u8) -> usize {
    while bytes.get(i) == Some(&b) {
        i += 1;
    }
    i
}

fn eat(bytes: &[u8], i: usize, word: &str) -> Option<usize> {
    let w = word.as_bytes();
    if bytes.get(i..i + w.len()) == Some(w) {
        Some(i + w.len())
    } else {
        None
    }
}

/// Outcome of looking for a `{% raw %}` or `{% verbatim %}` block at a `{%`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockMatch {
    NotBlock,
    /// A complete block: its content and the offset just past it.
    Closed {
        content: Span,
        end: usize,
    },
    /// An opening tag with no closing tag after it; `open_end` is just past
    /// the opening tag.
    Unclosed {
        open_end: usize,
    },
}

/// Which text block: Kestra's `raw` or Pebble's `verbatim`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Raw,
    Verbatim,
}

/// Remembers the last search for a closing tag, so that many unclosed
/// opening tags do not each rescan the rest of the template.
#[derive(Clone, Debug, Default)]
pub struct EndMemo {
    /// `(searched_from, first closing tag at or after it: (start, end))`.
    last: Option<(usize, Option<(usize, usize)>)>,
}

impl EndMemo {
    fn find(&mut self, src: &str, from: usize, kind: BlockKind) -> Option<(usize, usize)> {
        if let Some((prev_from, found)) = self.last {
            if from >= prev_from {
                match found {
                    None => return None,
                    Some((start, end)) if start >= from => return Some((start, end)),
                    Some(_) => {}
                }
            }
        }
        let found = find_block_end(src, from, kind);
        self.last = Some((from, found));
        found
    }
}

/// Matches a `raw` (Kestra) or `verbatim` (Pebble) block at the `{%` at `at`.
///
/// Kestra replaces `\{%-*\s*raw\s*-*%}(.*?)\{%-*\s*endraw\s*-*%}` before
/// Pebble sees the template (Kestra's `.` stops at line ends; this scanner
/// also accepts raw blocks spanning several lines).  Pebble's lexer handles
/// `{% verbatim %}` itself: `\s*verbatim\s*-?%}` right after `{%` (and an
/// optional `- ` trim marker), then everything up to
/// `{%-?\s*endverbatim\s*-?%}` is text.
pub fn match_block(src: &str, at: usize, kind: BlockKind) -> BlockMatch {
    match_block_memo(src, at, kind, &mut EndMemo::default())
}

/// [`match_block`] sharing a memo of closing-tag searches.
pub fn match_block_memo(src: &str, at: usize, kind: BlockKind, memo: &mut EndMemo) -> BlockMatch {
    let bytes = src.as_bytes();
    let open_end = match kind {
        BlockKind::Raw => raw_tag_end(bytes, at, "raw"),
        BlockKind::Verbatim => verbatim_open_end(bytes, at),
    };
    let Some(open_end) = open_end else {
        return BlockMatch::NotBlock;
    };
    match memo.find(src, open_end, kind) {
        Some((start, end)) => BlockMatch::Closed {
            content: open_end..start,
            end,
        },
        None => BlockMatch::Unclosed { open_end },
    }
}

/// The first closing tag of `kind` at or after `from`: `(start, end)`.
fn find_block_end(src: &str, from: usize, kind: BlockKind) -> Option<(usize, usize)> {
    let bytes = src.as_bytes();
    let mut from = from;
    while let Some(j) = find_str(src, from, "{%") {
        let end = match kind {
            BlockKind::Raw => raw_tag_end(bytes, j, "endraw"),
            BlockKind::Verbatim => verbatim_close_end(bytes, j),
        };
        if let Some(end) = end {
            return Some((j, end));
        }
        from = j + 2;
    }
    None
}

/// Matches `{%-*\s*WORD\s*-*%}` at `at`; returns the offset past `%}`.
fn raw_tag_end(bytes: &[u8], at: usize, word: &str) -> Option<usize> {
    let i = eat(bytes, at, "{%")?;
    let i = skip_byte_run(bytes, i, b'-');
    let i = skip_regex_space(bytes, i);
    let i = eat(bytes, i, word)?;
    let i = skip_regex_space(bytes, i);
    let i = skip_byte_run(bytes, i, b'-');
    eat(bytes, i, "%}")
}

/// Matches `{%` + optional `- ` + `\s*verbatim\s*-?%}` at `at`.
fn verbatim_open_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = eat(bytes, at, "{%")?;
    if bytes.get(i) == Some(&b'-') && bytes.get(i + 1).is_some_and(|&b| is_regex_space(b)) {
        i += 1;
    }
    let i = skip_regex_space(bytes, i);
    let i = eat(bytes, i, "verbatim")?;
    let mut i = skip_regex_space(bytes, i);
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    eat(bytes, i, "%}")
}

/// Matches `{%-?\s*endverbatim\s*-?%}` at `at`.
fn verbatim_close_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut k = eat(bytes, at, "{%")?;
    if bytes.get(k) == Some(&b'-') {
        k += 1;
    }
    let k = skip_regex_space(bytes, k);
    let k = eat(bytes, k, "endverbatim")?;
    let mut k = skip_regex_space(bytes, k);
    if bytes.get(k) == Some(&b'-') {
        k += 1;
    }
    eat(bytes, k, "%}")
}

/// Length of the leading whitespace-control marker after `{{` / `{%` / `{#`
/// at `i`: Pebble only treats `-` as a trim marker when whitespace follows.
pub fn leading_trim_len(src: &str, i: usize) -> usize {
    let bytes = src.as_bytes();
    if bytes.get(i) == Some(&b'-') && bytes.get(i + 1).is_some_and(|&b| is_regex_space(b)) {
        1
    } else {
        0
    }
}

/// Operators, as Pebble lexes them (longest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Or,
    And,
    Is,
    IsNot,
    Contains,
    Eq,
    Equals,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pipe,
    Tilde,
    Range,
    NullCoalesce,
    UndefinedCoalesce,
    In,
    NotIn,
    IsIn,
    Not,
}

/// Every operator symbol with its token, longest first so that the first
/// match is the longest one (as Pebble's operator regex does).
pub const OPERATORS: &[(&str, Op)] = &[
    ("contains", Op::Contains),
    ("is not", Op::IsNot),
    ("not in", Op::NotIn),
    ("equals", Op::Equals),
    ("isIn", Op::IsIn),
    ("???", Op::UndefinedCoalesce),
    ("and", Op::And),
    ("not", Op::Not),
    ("??", Op::NullCoalesce),
    ("==", Op::Eq),
    ("!=", Op::Ne),
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("..", Op::Range),
    ("or", Op::Or),
    ("is", Op::Is),
    ("in", Op::In),
    ("<", Op::Lt),
    (">", Op::Gt),
    ("+", Op::Add),
    ("-", Op::Sub),
    ("*", Op::Mul),
    ("/", Op::Div),
    ("%", Op::Mod),
    ("|", Op::Pipe),
    ("~", Op::Tilde),
];

impl Op {
    pub fn symbol(self) -> &'static str {
        OPERATORS
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("?", |(s, _)| s)
    }

    /// Word operators (`and`, `not`, …) other than the two-word ones; they
    /// may also appear as attribute names after `.`.
    pub fn is_single_word(self) -> bool {
        let s = self.symbol();
        s.bytes().all(|b| b.is_ascii_alphabetic())
    }
}

/// Token kinds of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Name,
    /// `123`
    Int,
    /// `123L`
    Long,
    /// `1.5`
    Float,
    /// A string literal without interpolation (quotes included in the span).
    Str,
    /// A double-quoted string with `#{ … }` interpolation; `first_plain` /
    /// `last_plain` tell whether it starts / ends with literal text (Pebble
    /// lexes such a string into several tokens, which matters for adjacent
    /// string literals).
    InterpStr {
        first_plain: bool,
        last_plain: bool,
    },
    Op(Op),
    /// One of `( ) [ ] { } ? : . , =`.
    Punct(u8),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    pub span: Span,
    /// For [`Tok::InterpStr`]: its `#{ … }` parts, in order.
    pub interp: Vec<Interp>,
}

impl Token {
    fn new(kind: Tok, span: Span) -> Self {
        Token {
            kind,
            span,
            interp: Vec::new(),
        }
    }
}

/// One `#{ … }` of a double-quoted string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interp {
    /// Offset of `#{`.
    pub open: usize,
    /// Offset of the closing `}`.
    pub close: usize,
    pub tokens: Vec<Token>,
}

/// Deepest nesting of strings inside `#{ }` inside strings.
pub const MAX_INTERP_DEPTH: usize = 32;

/// What ends the expression being tokenized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Close {
    /// `}}` (or `-}}`) of a print block.
    Print,
    /// `%}` (or `-%}`) of a tag.
    Tag,
    /// The end of the input (a bare expression).
    Eof,
}

impl Close {
    fn delimiter(self) -> &'static str {
        match self {
            Close::Print => "}}",
            Close::Tag => "%}",
            Close::Eof => "",
        }
    }
}

/// The tokens of one block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    /// Offset just past the block: past its closing delimiter, or where the
    /// scan resumed after an error.
    pub end: usize,
    /// Span of the closing delimiter (with its `-`), when one was found.
    pub close: Option<Span>,
    pub error: Option<SyntaxError>,
}

enum Frame {
    /// An open `(`, `[` or `{` and its offset.
    Bracket(u8, usize),
    /// `#{` inside a double-quoted string, at this offset.
    Interp(usize),
    /// A double-quoted string being scanned; `interp_first` records a `#{`
    /// right after the quote, `interp_end` the offset just past the last
    /// interpolation, `parts` the interpolations seen so far.
    DqStr {
        start: usize,
        interp_first: bool,
        interp_end: usize,
        parts: Vec<Interp>,
    },
}

enum StrStep {
    Eof,
    End,
    Interp,
}

fn char_at(src: &str, i: usize) -> Option<char> {
    src.get(i..)?.chars().next()
}

fn char_span(src: &str, i: usize) -> Span {
    let len = char_at(src, i).map_or(1, char::len_utf8);
    i..(i + len).min(src.len())
}

fn closing_for(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Matches an operator at `i` (word operators must not run into a name).
pub fn match_operator(bytes: &[u8], i: usize) -> Option<(Op, usize)> {
    for &(sym, op) in OPERATORS {
        let s = sym.as_bytes();
        if bytes.get(i..i + s.len()) != Some(s) {
            continue;
        }
        let ends_in_letter = s.last().is_some_and(|b| b.is_ascii_alphabetic());
        if ends_in_letter && bytes.get(i + s.len()).is_some_and(|&b| is_word_byte(b)) {
            continue;
        }
        return Some((op, i + s.len()));
    }
    None
}

fn unexpected_char_message(src: &str, i: usize, close: Close) -> String {
    let bytes = src.as_bytes();
    let Some(c) = char_at(src, i) else {
        return "unexpected end of input".to_string();
    };
    let shown: String = if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", c as u32)
    } else {
        c.to_string()
    };
    let hint = match c {
        '&' => ": Pebble writes logical AND as `and`",
        '!' => ": Pebble writes negation as `not` (and inequality as `!=`)",
        '$' => ": Pebble variables have no `$` prefix",
        '\u{A0}' | '\u{2007}' | '\u{202F}' => {
            ": this is a no-break space; replace it with a normal space"
        }
        '}' if close == Close::Print => ": close the expression with `}}`",
        '}' if close == Close::Tag => ": close the tag with `%}`",
        '#' if bytes.get(i + 1) == Some(&b'}') => ": `#}` closes a comment, not an expression",
        _ => "",
    };
    format!("unexpected token `{shown}`{hint}")
}

/// Tokens go to the innermost open interpolation, or to the block.
struct Sink {
    block: Vec<Token>,
    interps: Vec<Vec<Token>>,
}

impl Sink {
    fn push(&mut self, tok: Token) {
        match self.interps.last_mut() {
            Some(v) => v.push(tok),
            None => self.block.push(tok),
        }
    }
}

/// Tokenizes the expression starting at `start` until `close`.
///
/// `open` is the span of the opening delimiter, used when the block is never
/// closed.  On an error, scanning resumes after the next closing delimiter so
/// that the caller can go on with the rest of the template.
pub fn lex_block(src: &str, start: usize, close: Close, open: Span) -> Lexed {
    let bytes = src.as_bytes();
    let len = bytes.len();
    let mut sink = Sink {
        block: Vec::new(),
        interps: Vec::new(),
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = start.min(len);

    let fail = |sink: Sink, err: SyntaxError, from: usize| -> Lexed {
        let (end, close_span) = resync(src, from, close);
        Lexed {
            tokens: sink.block,
            end,
            close: close_span,
            error: Some(err),
        }
    };

    loop {
        if let Some(Frame::DqStr { start: q, .. }) = stack.last() {
            let q = *q;
            // Scan the body of a double-quoted string.
            let step = loop {
                match bytes.get(i) {
                    None => break StrStep::Eof,
                    Some(b'\\') => {
                        i += 1;
                        if i < len {
                            i += char_at(src, i).map_or(1, char::len_utf8);
                        }
                    }
                    Some(b'"') => break StrStep::End,
                    Some(b'#') if bytes.get(i + 1) == Some(&b'{') => break StrStep::Interp,
                    Some(_) => i += 1,
                }
            };
            match step {
                StrStep::Eof => {
                    let err = SyntaxError::new("unclosed string literal", q..q + 1);
                    return fail(sink, err, q);
                }
                StrStep::End => {
                    let token = match stack.pop() {
                        Some(Frame::DqStr {
                            interp_first,
                            interp_end,
                            parts,
                            ..
                        }) if !parts.is_empty() => Token {
                            kind: Tok::InterpStr {
                                first_plain: !interp_first,
                                last_plain: interp_end != i,
                            },
                            span: q..i + 1,
                            interp: parts,
                        },
                        _ => Token::new(Tok::Str, q..i + 1),
                    };
                    i += 1;
                    sink.push(token);
                }
                StrStep::Interp => {
                    if sink.interps.len() >= MAX_INTERP_DEPTH {
                        let err = SyntaxError::new(
                            format!(
                                "string interpolation `#{{ }}` is nested too deeply \
                                 (more than {MAX_INTERP_DEPTH} levels)"
                            ),
                            i..i + 2,
                        );
                        return fail(sink, err, i);
                    }
                    if let Some(Frame::DqStr {
                        start,
                        interp_first,
                        parts,
                        ..
                    }) = stack.last_mut()
                    {
                        if parts.is_empty() && i == *start + 1 {
                            *interp_first = true;
                        }
                    }
                    stack.push(Frame::Interp(i));
                    sink.interps.push(Vec::new());
                    i += 2;
                }
            }
            continue;
        }

        // Expression context.  Like Pebble, look for the closing delimiter
        // after plain (regex `\s`) whitespace only, then skip any Java
        // whitespace before the next token.
        let plain_end = skip_regex_space(bytes, i);
        let delim = close.delimiter();
        if stack.is_empty() && close != Close::Eof {
            let dash = usize::from(bytes.get(plain_end) == Some(&b'-'));
            if eat(bytes, plain_end + dash, delim).is_some() {
                let end = plain_end + dash + delim.len();
                return Lexed {
                    tokens: sink.block,
                    end,
                    close: Some(plain_end..end),
                    error: None,
                };
            }
        }
        while let Some(c) = char_at(src, i) {
            if is_java_whitespace(c) {
                i += c.len_utf8();
            } else {
                break;
            }
        }
        if stack.is_empty() && close == Close::Eof && i >= len {
            return Lexed {
                tokens: sink.block,
                end: len,
                close: None,
                error: None,
            };
        }
        if i > plain_end {
            // Unusual whitespace right before `}}` / `%}` / the `}` of `#{`
            // hides the delimiter from Pebble.
            let dash = usize::from(bytes.get(i) == Some(&b'-'));
            let hides_close = (stack.is_empty()
                && close != Close::Eof
                && eat(bytes, i + dash, delim).is_some())
                || (matches!(stack.last(), Some(Frame::Interp(_))) && bytes.get(i) == Some(&b'}'));
            if hides_close {
                let span = char_span(src, plain_end);
                let code = char_at(src, plain_end).map_or(0, u32::from);
                let err = SyntaxError::new(
                    format!(
                        "unexpected whitespace character U+{code:04X} before the closing \
                         delimiter: Pebble accepts only spaces, tabs and line breaks there"
                    ),
                    span,
                );
                return fail(sink, err, plain_end);
            }
        }

        let Some(&b) = bytes.get(i) else {
            // End of input with something still open.
            let err = match (close, stack.last()) {
                (Close::Eof, Some(Frame::Bracket(o, at))) => SyntaxError::new(
                    format!(
                        "unclosed `{}`: expected `{}`",
                        *o as char,
                        closing_for(*o) as char
                    ),
                    *at..*at + 1,
                ),
                (_, Some(Frame::Interp(at))) => {
                    SyntaxError::new("unclosed `#{` in a string: expected `}`", *at..*at + 2)
                }
                (Close::Print, _) => {
                    SyntaxError::new("unterminated `{{`: no matching `}}`", open.clone())
                }
                (Close::Tag, _) => {
                    SyntaxError::new("unterminated `{%`: no matching `%}`", open.clone())
                }
                (Close::Eof, _) => SyntaxError::new("unexpected end of input", len..len),
            };
            return Lexed {
                tokens: sink.block,
                end: len,
                close: None,
                error: Some(err),
            };
        };

        if b == b'}' {
            if let Some(Frame::Interp(at)) = stack.last() {
                let at = *at;
                stack.pop();
                let tokens = sink.interps.pop().unwrap_or_default();
                if let Some(Frame::DqStr {
                    interp_end, parts, ..
                }) = stack.last_mut()
                {
                    parts.push(Interp {
                        open: at,
                        close: i,
                        tokens,
                    });
                    *interp_end = i + 1;
                }
                i += 1;
                continue;
            }
        }

        if let Some((op, next)) = match_operator(bytes, i) {
            sink.push(Token::new(Tok::Op(op), i..next));
            i = next;
            continue;
        }

        if let Some(c) = char_at(src, i) {
            if c.is_alphabetic() || c == '_' {
                let mut j = i + c.len_utf8();
                while let Some(d) = char_at(src, j) {
                    if d.is_alphanumeric() || d == '_' {
                        j += d.len_utf8();
                    } else {
                        break;
                    }
                }
                sink.push(Token::new(Tok::Name, i..j));
                i = j;
                continue;
            }
        }

        if b.is_ascii_digit() {
            let mut j = i;
            while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            let kind = if bytes.get(j) == Some(&b'L') {
                j += 1;
                Tok::Long
            } else if bytes.get(j) == Some(&b'.')
                && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)
            {
                j += 1;
                while bytes.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
                Tok::Float
            } else {
                Tok::Int
            };
            sink.push(Token::new(kind, i..j));
            i = j;
            continue;
        }

        match b {
            b'(' | b'[' | b'{' => {
                stack.push(Frame::Bracket(b, i));
                sink.push(Token::new(Tok::Punct(b), i..i + 1));
                i += 1;
            }
            b')' | b']' | b'}' => {
                match stack.last() {
                    Some(Frame::Bracket(o, _)) if closing_for(*o) == b => {
                        stack.pop();
                    }
                    Some(Frame::Bracket(o, _)) => {
                        let err = SyntaxError::new(
                            format!(
                                "mismatched `{}`: expected `{}` to close the `{}` opened before it",
                                b as char,
                                closing_for(*o) as char,
                                *o as char
                            ),
                            i..i + 1,
                        );
                        return fail(sink, err, i);
                    }
                    _ => {
                        let err =
                            SyntaxError::new(unexpected_char_message(src, i, close), i..i + 1);
                        return fail(sink, err, i);
                    }
                }
                sink.push(Token::new(Tok::Punct(b), i..i + 1));
                i += 1;
            }
            b'?' | b':' | b'.' | b',' | b'=' => {
                sink.push(Token::new(Tok::Punct(b), i..i + 1));
                i += 1;
            }
            b'\'' => {
                let mut j = i + 1;
                loop {
                    match bytes.get(j) {
                        None => {
                            let err = SyntaxError::new("unclosed string literal", i..i + 1);
                            return fail(sink, err, i);
                        }
                        Some(b'\\') => {
                            j += 1;
                            if j < len {
                                j += char_at(src, j).map_or(1, char::len_utf8);
                            }
                        }
                        Some(b'\'') => {
                            j += 1;
                            break;
                        }
                        Some(_) => j += 1,
                    }
                }
                sink.push(Token::new(Tok::Str, i..j));
                i = j;
            }
            b'"' => {
                stack.push(Frame::DqStr {
                    start: i,
                    interp_first: false,
                    interp_end: 0,
                    parts: Vec::new(),
                });
                i += 1;
            }
            _ => {
                let span = char_span(src, i);
                let err = SyntaxError::new(unexpected_char_message(src, i, close), span);
                return fail(sink, err, i);
            }
        }
    }
}

/// After an error at `from`, finds where the block ends: just past the next
/// closing delimiter (strings and brackets are no longer tracked), or the
/// end of the input.
fn resync(src: &str, from: usize, close: Close) -> (usize, Option<Span>) {
    if close == Close::Eof {
        return (src.len(), None);
    }
    let delim = close.delimiter();
    match find_str(src, from, delim) {
        Some(at) => {
            let start = if at > from && src.as_bytes().get(at - 1) == Some(&b'-') {
                at - 1
            } else {
                at
            };
            (at + delim.len(), Some(start..at + delim.len()))
        }
        None => (src.len(), None),
    }
}

/// Pebble's unescaping of a plain string literal (quotes included in `raw`):
/// only a backslash before the enclosing quote character is removed.
pub fn unquote(raw: &str) -> String {
    let mut chars = raw.chars();
    let quote = chars.next().unwrap_or('"');
    let inner = raw
        .get(quote.len_utf8()..raw.len().saturating_sub(1))
        .unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut it = inner.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.peek() {
                Some(&n) if n == quote => {
                    out.push(n);
                    it.next();
                }
                Some(&n) => {
                    out.push('\\');
                    out.push(n);
                    it.next();
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}
