//! Template and expression parser: a precedence-climbing (Pratt) parser that
//! mirrors Pebble's `ExpressionParser`, with bounded recursion.

use std::collections::HashSet;

use super::ast::{
    Arg, BinaryOp, Expr, ExprKind, FilterCall, Lit, MacroParam, Node, Span, SyntaxError, TagKind,
    Template, UnaryOp,
};
use super::lexer::{self, BlockKind, BlockMatch, Close, Delim, EndMemo, Op, Tok, Token};

/// Deepest recursion of the expression parser; deeper input is an error.
pub const MAX_RECURSION: u32 = 128;

/// Deepest expression tree accepted (also bounds left-leaning chains such as
/// `a + b + c + …`, which the parser builds without recursing), so that code
/// walking the tree recursively stays within a small stack.
pub const MAX_TREE_DEPTH: u32 = 256;

/// Precedence of Pebble's unary operators `not`, `-`, `+` (CoreExtension).
pub const UNARY_PRECEDENCE: u16 = 500;

/// Binary operator precedence (higher binds tighter; all left-associative).
///
/// Pebble 3 `CoreExtension.getBinaryOperators()`: `or` 10, `and` 15,
/// `is`/`is not`/`contains` 20, comparisons and `equals` 30, `+ -` 40,
/// `* / %` 60, `|` 100, `~` 110, `..` 120.  Kestra's
/// `runners/pebble/Extension.java` adds `??` and `???` at 120; a Kestra
/// commit (b9f598e, "add pebble operators 'in' and 'not in'") registers
/// `in`/`not in` at 120 (that commit is not on Kestra's main history of
/// December 2024), and newer Kestra tests use `isIn` (precedence not
/// published; 120 assumed).  The conditional `? :` binds loosest of all, and
/// the unary operators tightest ([`UNARY_PRECEDENCE`]): as in Pebble,
/// `not a == b` is `(not a) == b` and `a + b | abs` is `a + (b | abs)`.
pub const PRECEDENCE: &[(&str, u16)] = &[
    ("or", 10),
    ("and", 15),
    ("is", 20),
    ("is not", 20),
    ("contains", 20),
    ("==", 30),
    ("equals", 30),
    ("!=", 30),
    ("<", 30),
    (">", 30),
    ("<=", 30),
    (">=", 30),
    ("+", 40),
    ("-", 40),
    ("*", 60),
    ("/", 60),
    ("%", 60),
    ("|", 100),
    ("~", 110),
    ("..", 120),
    ("??", 120),
    ("???", 120),
    ("in", 120),
    ("not in", 120),
    ("isIn", 120),
];

/// Names that cannot be assigned (`set`, `for`, named arguments, macro
/// parameters).
const RESERVED: &[&str] = &["true", "false", "null", "none"];

/// Fast check: does `s` contain `{{`, `{%` or `{#`?
pub fn has_delimiters(s: &str) -> bool {
    lexer::find_delimiter(s, 0).is_some()
}

/// Parses a whole template (a Kestra property value).  Never panics; every
/// independent error is reported, at most one per delimited block.
pub fn parse_template(src: &str) -> Template {
    let mut tp = TemplateParser {
        src,
        nodes: Vec::new(),
        errors: Vec::new(),
        open: Vec::new(),
        macros: HashSet::new(),
        open_counts: [0; 5],
        raw_memo: EndMemo::default(),
        verbatim_memo: EndMemo::default(),
    };
    tp.run();
    tp.finish()
}

/// Parses a bare expression (the inside of `{{ }}`, without delimiters).
pub fn parse_expression(src: &str) -> Result<Expr, SyntaxError> {
    let lexed = lexer::lex_block(src, 0, Close::Eof, 0..0);
    if let Some(err) = lexed.error {
        return Err(err);
    }
    if lexed.tokens.is_empty() {
        return Err(SyntaxError::new(
            "empty expression: expected a variable or a value",
            0..src.len(),
        ));
    }
    let end = src.len()..src.len();
    let mut p = ExprParser::new(src, &lexed.tokens, end, "the end of the expression");
    let (expr, soft) = p.full_expression()?;
    match soft {
        Some(err) => Err(err),
        None => Ok(expr),
    }
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

/// A parsed expression (boxed, to keep the recursive frames small) and the
/// depth of its tree.
type PResult = Result<(Box<Expr>, u32), SyntaxError>;

enum BinKind {
    Normal(BinaryOp),
    Filter,
    Test { negated: bool },
}

/// Precedence of a binary operator token (`None` for `not`).
pub fn binary_precedence(op: Op) -> Option<u16> {
    binary_of(op).map(|(_, prec)| prec)
}

fn binary_of(op: Op) -> Option<(BinKind, u16)> {
    use BinKind::Normal as N;
    Some(match op {
        Op::Or => (N(BinaryOp::Or), 10),
        Op::And => (N(BinaryOp::And), 15),
        Op::Is => (BinKind::Test { negated: false }, 20),
        Op::IsNot => (BinKind::Test { negated: true }, 20),
        Op::Contains => (N(BinaryOp::Contains), 20),
        Op::Eq => (N(BinaryOp::Eq), 30),
        Op::Equals => (N(BinaryOp::Equals), 30),
        Op::Ne => (N(BinaryOp::Ne), 30),
        Op::Lt => (N(BinaryOp::Lt), 30),
        Op::Gt => (N(BinaryOp::Gt), 30),
        Op::Le => (N(BinaryOp::Le), 30),
        Op::Ge => (N(BinaryOp::Ge), 30),
        Op::Add => (N(BinaryOp::Add), 40),
        Op::Sub => (N(BinaryOp::Sub), 40),
        Op::Mul => (N(BinaryOp::Mul), 60),
        Op::Div => (N(BinaryOp::Div), 60),
        Op::Mod => (N(BinaryOp::Mod), 60),
        Op::Pipe => (BinKind::Filter, 100),
        Op::Tilde => (N(BinaryOp::Concat), 110),
        Op::Range => (N(BinaryOp::Range), 120),
        Op::NullCoalesce => (N(BinaryOp::NullCoalesce), 120),
        Op::UndefinedCoalesce => (N(BinaryOp::UndefinedCoalesce), 120),
        Op::In => (N(BinaryOp::In), 120),
        Op::NotIn => (N(BinaryOp::NotIn), 120),
        Op::IsIn => (N(BinaryOp::IsIn), 120),
        Op::Not => return None,
    })
}

/// Whether a string token starts / ends with literal text.
fn string_edges(kind: Tok) -> (bool, bool) {
    match kind {
        Tok::InterpStr {
            first_plain,
            last_plain,
        } => (first_plain, last_plain),
        _ => (true, true),
    }
}

#[cold]
#[inline(never)]
fn missing_after(what: &str, at: Span) -> SyntaxError {
    SyntaxError::new(format!("expected an expression after `{what}`"), at)
}

#[cold]
#[inline(never)]
fn unclosed(open: u8, at: Span) -> SyntaxError {
    let close = match open {
        b'(' => ')',
        b'[' => ']',
        _ => '}',
    };
    SyntaxError::new(
        format!("unclosed `{}`: expected `{close}`", open as char),
        at,
    )
}

#[cold]
#[inline(never)]
fn trailing_comma(close: u8, at: Span) -> SyntaxError {
    SyntaxError::new(
        format!(
            "unexpected `{}` after `,`: remove the trailing comma",
            close as char
        ),
        at,
    )
}

#[cold]
#[inline(never)]
fn elvis_error(at: Span) -> SyntaxError {
    SyntaxError::new(
        "Pebble has no `?:` (elvis) operator: write `a ?? b`, or `a ? a : b`",
        at,
    )
}

#[cold]
#[inline(never)]
fn is_not_spacing(at: Span) -> SyntaxError {
    SyntaxError::new(
        "write `is not` with exactly one space between `is` and `not`",
        at,
    )
}

#[cold]
#[inline(never)]
fn bad_number(text: &str, at: Span) -> SyntaxError {
    SyntaxError::new(
        format!("number `{text}` is too large (the maximum is 9223372036854775807)"),
        at,
    )
}

#[cold]
#[inline(never)]
fn missing_attribute(dot: Span) -> SyntaxError {
    SyntaxError::new("expected an attribute name after `.`", dot)
}

#[cold]
#[inline(never)]
fn operator_as_attribute(word: &str, at: Span) -> SyntaxError {
    SyntaxError::new(
        format!(
            "`{word}` is a Pebble operator and cannot follow `.`; \
             for a key named `{word}` write `['{word}']`"
        ),
        at,
    )
}

struct ExprParser<'s, 't> {
    src: &'s str,
    toks: &'t [Token],
    pos: usize,
    depth: u32,
    /// Where "expected …" errors point once the tokens run out.
    end: Span,
    /// What ends the block, for messages (e.g. "`}}`").
    closer: &'static str,
    /// A recoverable error (the tree is still built), e.g. the elvis `?:`.
    soft: Option<SyntaxError>,
}

impl<'s, 't> ExprParser<'s, 't> {
    fn new(src: &'s str, toks: &'t [Token], end: Span, closer: &'static str) -> Self {
        ExprParser {
            src,
            toks,
            pos: 0,
            depth: 0,
            end,
            closer,
            soft: None,
        }
    }

    fn text(&self, span: &Span) -> &'s str {
        self.src.get(span.clone()).unwrap_or("")
    }

    fn peek(&self) -> Option<&'t Token> {
        self.toks.get(self.pos)
    }

    fn peek_kind(&self) -> Option<Tok> {
        self.peek().map(|t| t.kind)
    }

    fn peek_kind_at(&self, n: usize) -> Option<Tok> {
        self.toks.get(self.pos + n).map(|t| t.kind)
    }

    fn peek_punct(&self, c: u8) -> bool {
        self.peek_kind() == Some(Tok::Punct(c))
    }

    fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// Consumes the current token (callers check that there is one).
    fn bump(&mut self) -> Token {
        let tok = self.toks.get(self.pos).cloned().unwrap_or(Token {
            kind: Tok::Punct(b' '),
            span: self.end.clone(),
            interp: Vec::new(),
        });
        self.pos += 1;
        tok
    }

    fn here(&self) -> Span {
        self.peek()
            .map_or_else(|| self.end.clone(), |t| t.span.clone())
    }

    fn describe(&self, tok: &Token) -> String {
        let text = self.text(&tok.span);
        match tok.kind {
            Tok::Str | Tok::InterpStr { .. } => format!("string {text}"),
            _ => format!("`{text}`"),
        }
    }

    /// "unexpected token X: expected …" at the current token, or
    /// "expected …" at the end of the block.
    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.peek() {
            Some(tok) => {
                let mut msg = format!(
                    "unexpected token {}: expected {expected}",
                    self.describe(tok)
                );
                if tok.kind == Tok::Punct(b'=') {
                    msg.push_str(" (use `==` to compare values)");
                }
                SyntaxError::new(msg, tok.span.clone())
            }
            None => SyntaxError::new(format!("expected {expected}"), self.end.clone()),
        }
    }

    fn expect_punct(&mut self, c: u8, expected: &str) -> Result<Span, SyntaxError> {
        if self.peek_punct(c) {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn deeper(&self, child: u32, at: &Span) -> Result<u32, SyntaxError> {
        let d = child.saturating_add(1);
        if d > MAX_TREE_DEPTH {
            Err(SyntaxError::new(
                format!("expression is nested too deeply (more than {MAX_TREE_DEPTH} levels)"),
                at.clone(),
            ))
        } else {
            Ok(d)
        }
    }

    /// A whole expression followed by the end of the block.
    fn full_expression(&mut self) -> Result<(Expr, Option<SyntaxError>), SyntaxError> {
        let (expr, _) = self.expr(0)?;
        if !self.at_end() {
            let closer = self.closer;
            return Err(self.unexpected(&format!("an operator or {closer}")));
        }
        Ok((*expr, self.soft.take()))
    }

    // The functions on the recursive path (`expr` → `expr_inner` →
    // `operand` → one of its arms → `expr`) keep few locals and build their
    // error messages in separate cold functions, so that each nesting level
    // costs little stack even in debug builds.

    fn expr(&mut self, min: u16) -> PResult {
        if self.depth >= MAX_RECURSION {
            return Err(self.too_deep_recursion());
        }
        self.depth += 1;
        let result = self.expr_inner(min);
        self.depth -= 1;
        result
    }

    #[cold]
    #[inline(never)]
    fn too_deep_recursion(&self) -> SyntaxError {
        SyntaxError::new(
            format!("expression is nested too deeply (more than {MAX_RECURSION} levels)"),
            self.here(),
        )
    }

    fn expr_inner(&mut self, min: u16) -> PResult {
        let (mut lhs, mut d) = self.operand()?;
        while let Some(Tok::Op(op)) = self.peek_kind() {
            let Some((kind, prec)) = binary_of(op) else {
                break;
            };
            if prec < min {
                break;
            }
            let op_span = self.bump_span();
            (lhs, d) = match kind {
                BinKind::Filter => self.filter_tail(lhs, d, op_span)?,
                BinKind::Test { negated } => self.test_tail(lhs, d, op_span, negated)?,
                BinKind::Normal(bop) => self.binary_tail(lhs, d, op_span, bop, prec)?,
            };
        }
        if min == 0 && self.peek_punct(b'?') {
            return self.conditional(lhs, d);
        }
        Ok((lhs, d))
    }

    /// Consumes the current token and returns its span.
    fn bump_span(&mut self) -> Span {
        let span = self.here();
        self.pos += 1;
        span
    }

    fn binary_tail(
        &mut self,
        lhs: Box<Expr>,
        d: u32,
        op_span: Span,
        bop: BinaryOp,
        prec: u16,
    ) -> PResult {
        if self.at_end() {
            return Err(missing_after(bop.symbol(), op_span));
        }
        let (rhs, rd) = self.expr(prec + 1)?;
        let d = self.deeper(d.max(rd), &op_span)?;
        let span = lhs.span.start..rhs.span.end;
        let kind = ExprKind::Binary { op: bop, lhs, rhs };
        Ok((Box::new(Expr { kind, span }), d))
    }

    fn filter_tail(&mut self, lhs: Box<Expr>, d: u32, op_span: Span) -> PResult {
        let name_span = self.name_after(&op_span, "a filter name after `|`", true)?;
        let (args, ad, end) = self.optional_args(name_span.end)?;
        let d = self.deeper(d.max(ad), &op_span)?;
        let span = lhs.span.start..end;
        let kind = ExprKind::Filter {
            target: lhs,
            name: self.text(&name_span).to_string(),
            name_span,
            args,
        };
        Ok((Box::new(Expr { kind, span }), d))
    }

    fn test_tail(&mut self, lhs: Box<Expr>, d: u32, op_span: Span, negated: bool) -> PResult {
        if !negated && self.peek_kind() == Some(Tok::Op(Op::Not)) {
            return Err(is_not_spacing(op_span.start..self.here().end));
        }
        let what = if negated {
            "a test name after `is not`, such as `null` or `empty`"
        } else {
            "a test name after `is`, such as `defined`, `null` or `empty`"
        };
        let name_span = self.name_after(&op_span, what, false)?;
        let (args, ad, end) = self.optional_args(name_span.end)?;
        let d = self.deeper(d.max(ad), &op_span)?;
        let span = lhs.span.start..end;
        let kind = ExprKind::Test {
            target: lhs,
            negated,
            name: self.text(&name_span).to_string(),
            name_span,
            args,
        };
        Ok((Box::new(Expr { kind, span }), d))
    }

    /// `( args )` if present; otherwise no arguments, ending at `end`.
    fn optional_args(&mut self, end: usize) -> Result<(Vec<Arg>, u32, usize), SyntaxError> {
        if self.peek_punct(b'(') {
            self.args(false)
        } else {
            Ok((Vec::new(), 0, end))
        }
    }

    /// The name following `|` or `is` / `is not`.
    fn name_after(
        &mut self,
        op_span: &Span,
        what: &str,
        is_filter: bool,
    ) -> Result<Span, SyntaxError> {
        match self.peek() {
            Some(t) if t.kind == Tok::Name => Ok(self.bump_span()),
            Some(t) if is_filter && t.kind == Tok::Op(Op::Pipe) => Err(SyntaxError::new(
                "`||` is not an operator in Pebble: write `or`",
                op_span.start..t.span.end,
            )),
            Some(_) => Err(self.unexpected(what)),
            None => Err(SyntaxError::new(
                format!("expected {what}"),
                op_span.clone(),
            )),
        }
    }

    /// `cond ? a : b`, and the elvis form `cond ?: b` that Pebble rejects.
    fn conditional(&mut self, cond: Box<Expr>, d: u32) -> PResult {
        let q = self.bump_span();
        let (then, td) = if self.peek_punct(b':') {
            let colon = self.bump_span();
            if self.soft.is_none() {
                self.soft = Some(elvis_error(q.start..colon.end));
            }
            (None, 0)
        } else {
            if self.at_end() {
                return Err(missing_after("?", q));
            }
            let (then, td) = self.expr(0)?;
            if !self.peek_punct(b':') {
                return Err(self.unexpected("`:` (the conditional is written `condition ? a : b`)"));
            }
            self.pos += 1;
            (Some(then), td)
        };
        if self.at_end() {
            let what = if then.is_some() { ":" } else { "?:" };
            return Err(missing_after(what, self.end.clone()));
        }
        let (otherwise, od) = self.expr(0)?;
        let d = self.deeper(d.max(td).max(od), &q)?;
        let span = cond.span.start..otherwise.span.end;
        let kind = ExprKind::Ternary {
            cond,
            then,
            otherwise,
        };
        Ok((Box::new(Expr { kind, span }), d))
    }

    /// A unary operation, a parenthesized expression, a list, a map, or a
    /// primary expression with its postfix operations.
    fn operand(&mut self) -> PResult {
        match self.peek_kind() {
            None => Err(SyntaxError::new("expected an expression", self.end.clone())),
            Some(Tok::Op(Op::Not | Op::Sub | Op::Add)) => self.unary(),
            Some(Tok::Punct(b'(')) => self.paren(),
            Some(Tok::Punct(b'[')) => self.list(),
            Some(Tok::Punct(b'{')) => self.map(),
            Some(Tok::Name) => self.name_operand(),
            Some(Tok::Int | Tok::Long | Tok::Float) => self.number(),
            Some(Tok::Str | Tok::InterpStr { .. }) => self.strings(),
            Some(_) => Err(self.unexpected("an expression")),
        }
    }

    fn unary(&mut self) -> PResult {
        let op_span = self.here();
        let op = match self.peek_kind() {
            Some(Tok::Op(Op::Not)) => UnaryOp::Not,
            Some(Tok::Op(Op::Sub)) => UnaryOp::Neg,
            _ => UnaryOp::Pos,
        };
        self.pos += 1;
        if self.at_end() {
            return Err(missing_after(op.symbol(), op_span));
        }
        let (operand, od) = self.expr(UNARY_PRECEDENCE)?;
        let d = self.deeper(od, &op_span)?;
        let span = op_span.start..operand.span.end;
        let kind = ExprKind::Unary { op, operand };
        Ok((Box::new(Expr { kind, span }), d))
    }

    fn paren(&mut self) -> PResult {
        let open = self.bump_span();
        if self.peek_punct(b')') {
            return Err(SyntaxError::new(
                "empty parentheses: expected an expression inside `( )`",
                open.start..self.here().end,
            ));
        }
        let (mut inner, d) = self.expr(0)?;
        let close = self.expect_punct(b')', "`)` to close `(`")?;
        inner.span = open.start..close.end;
        self.postfix(inner, d)
    }

    fn name_operand(&mut self) -> PResult {
        let span = self.bump_span();
        let text = self.text(&span);
        let kind = match text {
            "true" | "TRUE" => ExprKind::Literal(Lit::Bool(true)),
            "false" | "FALSE" => ExprKind::Literal(Lit::Bool(false)),
            "null" | "NULL" | "none" | "NONE" => ExprKind::Literal(Lit::Null),
            _ if self.peek_punct(b'(') => return self.call(span),
            _ => ExprKind::Var(text.to_string()),
        };
        self.postfix(Box::new(Expr { kind, span }), 1)
    }

    fn call(&mut self, name_span: Span) -> PResult {
        let (args, ad, end) = self.args(false)?;
        let name = self.text(&name_span);
        if name == "block" && !args.iter().any(|a| a.name.is_none()) {
            return Err(SyntaxError::new(
                "`block()` needs the name of a block, as in `block('header')`",
                name_span.start..end,
            ));
        }
        let d = self.deeper(ad, &name_span)?;
        let span = name_span.start..end;
        let kind = ExprKind::Call {
            name: name.to_string(),
            name_span,
            args,
        };
        self.postfix(Box::new(Expr { kind, span }), d)
    }

    fn number(&mut self) -> PResult {
        let span = self.here();
        let is_float = self.peek_kind() == Some(Tok::Float);
        self.pos += 1;
        let text = self.text(&span);
        let lit = if is_float {
            text.parse::<f64>().map(Lit::Float).ok()
        } else {
            let digits = text.strip_suffix('L').unwrap_or(text);
            digits.parse::<i64>().map(Lit::Int).ok()
        };
        let Some(lit) = lit else {
            return Err(bad_number(text, span));
        };
        let expr = Expr {
            kind: ExprKind::Literal(lit),
            span,
        };
        self.postfix(Box::new(expr), 1)
    }

    /// One string literal, or several that Pebble joins: it joins adjacent
    /// literals unless two plain parts would touch (`"#{a}" "b"` is one
    /// string, `'a' 'b'` is an error).
    fn strings(&mut self) -> PResult {
        let toks = self.toks;
        let Some(first) = toks.get(self.pos) else {
            return Err(self.unexpected("an expression"));
        };
        self.pos += 1;
        let (mut expr, mut d) = self.string_literal(first)?;
        let mut prev_last_plain = string_edges(first.kind).1;
        while let Some(next) = toks.get(self.pos) {
            if !matches!(next.kind, Tok::Str | Tok::InterpStr { .. }) {
                break;
            }
            let (first_plain, last_plain) = string_edges(next.kind);
            if prev_last_plain && first_plain {
                break;
            }
            self.pos += 1;
            let (rhs, rd) = self.string_literal(next)?;
            d = self.deeper(d.max(rd), &next.span)?;
            let span = expr.span.start..rhs.span.end;
            expr = Box::new(Expr {
                kind: ExprKind::Binary {
                    op: BinaryOp::Concat,
                    lhs: expr,
                    rhs,
                },
                span,
            });
            prev_last_plain = last_plain;
        }
        self.postfix(expr, d)
    }

    /// A string token: a literal, or the parts of an interpolated string
    /// (each `#{ … }` is parsed as an expression).
    fn string_literal(&mut self, tok: &'t Token) -> PResult {
        if tok.interp.is_empty() {
            let text = self.text(&tok.span);
            let expr = Expr {
                kind: ExprKind::Literal(Lit::Str(lexer::unquote(text))),
                span: tok.span.clone(),
            };
            return Ok((Box::new(expr), 1));
        }
        let mut parts = Vec::new();
        let mut d = 1;
        let mut cursor = tok.span.start + 1;
        for part in &tok.interp {
            if part.open > cursor {
                parts.push(self.text_part(cursor, part.open));
            }
            let (e, ed) = self.interpolation(part)?;
            d = d.max(ed);
            parts.push(*e);
            cursor = part.close + 1;
        }
        let end = tok.span.end.saturating_sub(1);
        if end > cursor {
            parts.push(self.text_part(cursor, end));
        }
        let d = self.deeper(d, &tok.span)?;
        let expr = Expr {
            kind: ExprKind::Interpolated(parts),
            span: tok.span.clone(),
        };
        Ok((Box::new(expr), d))
    }

    fn text_part(&self, from: usize, to: usize) -> Expr {
        Expr {
            kind: ExprKind::Literal(Lit::Str(self.text(&(from..to)).to_string())),
            span: from..to,
        }
    }

    /// Parses the tokens of one `#{ … }` with this parser (sharing its
    /// recursion budget).
    fn interpolation(&mut self, part: &'t lexer::Interp) -> PResult {
        if part.tokens.is_empty() {
            return Err(SyntaxError::new(
                "empty interpolation: expected an expression inside `#{ }`",
                part.open..part.close + 1,
            ));
        }
        let saved_toks = std::mem::replace(&mut self.toks, &part.tokens);
        let saved_pos = std::mem::replace(&mut self.pos, 0);
        let saved_end = std::mem::replace(&mut self.end, part.close..part.close + 1);
        let saved_closer = std::mem::replace(&mut self.closer, "`}` (end of `#{`)");
        let mut result = self.expr(0);
        if result.is_ok() && !self.at_end() {
            result = Err(self.unexpected("an operator or `}` (end of `#{`)"));
        }
        self.toks = saved_toks;
        self.pos = saved_pos;
        self.end = saved_end;
        self.closer = saved_closer;
        result
    }

    /// `.name`, `.name(args)`, `[index]` after an expression.
    fn postfix(&mut self, mut expr: Box<Expr>, mut d: u32) -> PResult {
        loop {
            (expr, d) = match self.peek_kind() {
                Some(Tok::Punct(b'.')) => self.attribute(expr, d)?,
                Some(Tok::Punct(b'[')) => self.subscript(expr, d)?,
                Some(Tok::Punct(b'(')) => {
                    return Err(SyntaxError::new(
                        "unexpected `(`: only a function name can be called, as in `name(…)`",
                        self.here(),
                    ));
                }
                _ => return Ok((expr, d)),
            };
        }
    }

    fn attribute(&mut self, target: Box<Expr>, d: u32) -> PResult {
        let dot = self.bump_span();
        match self.peek_kind() {
            Some(Tok::Name) => {}
            // Kestra-specific words, not operators everywhere.
            Some(Tok::Op(Op::In | Op::IsIn)) => {}
            Some(Tok::Op(op)) if op.is_single_word() => {
                return Err(operator_as_attribute(op.symbol(), self.here()));
            }
            Some(Tok::Int | Tok::Long) => {
                let mut err = self.unexpected("an attribute name after `.`");
                err.message
                    .push_str(" (write `[0]` to take an element by position)");
                return Err(err);
            }
            Some(_) => return Err(self.unexpected("an attribute name after `.`")),
            None => return Err(missing_attribute(dot)),
        }
        let name_span = self.bump_span();
        let (args, ad, end) = if self.peek_punct(b'(') {
            let (args, ad, end) = self.args(true)?;
            (Some(args), ad, end)
        } else {
            (None, 0, name_span.end)
        };
        let d = self.deeper(d.max(ad), &dot)?;
        let span = target.span.start..end;
        let kind = ExprKind::Attr {
            target,
            name: self.text(&name_span).to_string(),
            name_span,
            args,
        };
        Ok((Box::new(Expr { kind, span }), d))
    }

    fn subscript(&mut self, target: Box<Expr>, d: u32) -> PResult {
        let open = self.bump_span();
        if self.peek_punct(b']') {
            return Err(SyntaxError::new(
                "empty subscript: expected a key or an index inside `[ ]`",
                open.start..self.here().end,
            ));
        }
        let (index, id) = self.expr(0)?;
        let close = self.expect_punct(b']', "`]` to close `[`")?;
        let d = self.deeper(d.max(id), &open)?;
        let span = target.span.start..close.end;
        let kind = ExprKind::Index { target, index };
        Ok((Box::new(Expr { kind, span }), d))
    }

    /// `( args )` of a function, filter, test or method call.  Returns the
    /// arguments, their deepest tree, and the offset past `)`.
    fn args(&mut self, method: bool) -> Result<(Vec<Arg>, u32, usize), SyntaxError> {
        let open = self.bump_span();
        let mut args: Vec<Arg> = Vec::new();
        let mut d = 0;
        let mut named_seen = false;
        loop {
            match self.peek_kind() {
                None => return Err(unclosed(b'(', open)),
                Some(Tok::Punct(b')')) => {
                    let close = self.bump_span();
                    return Ok((args, d, close.end));
                }
                _ => {}
            }
            if !args.is_empty() {
                self.separator(b')', "`,` or `)` in the argument list")?;
            }
            let name = self.arg_name(method, named_seen)?;
            named_seen |= name.is_some();
            let (value, vd) = self.expr(0)?;
            d = d.max(vd);
            args.push(Arg {
                name,
                value: *value,
            });
        }
    }

    /// Expects `,` before the next element of a list (not followed by the
    /// closing `close`, which would be a trailing comma).
    fn separator(&mut self, close: u8, expected: &str) -> Result<(), SyntaxError> {
        if !self.peek_punct(b',') {
            return Err(self.unexpected(expected));
        }
        let comma = self.bump_span();
        if self.peek_punct(close) {
            return Err(trailing_comma(close, comma.start..self.here().end));
        }
        Ok(())
    }

    /// `name=` of a named argument, if there is one.
    fn arg_name(
        &mut self,
        method: bool,
        named_seen: bool,
    ) -> Result<Option<(String, Span)>, SyntaxError> {
        let is_named =
            self.peek_kind() == Some(Tok::Name) && self.peek_kind_at(1) == Some(Tok::Punct(b'='));
        if !is_named {
            if named_seen {
                return Err(SyntaxError::new(
                    "positional arguments must come before named arguments",
                    self.here(),
                ));
            }
            return Ok(None);
        }
        let name_span = self.bump_span();
        let name = self.text(&name_span).to_string();
        if RESERVED.contains(&name.as_str()) {
            return Err(SyntaxError::new(
                format!("`{name}` cannot be used as an argument name"),
                name_span,
            ));
        }
        if method {
            return Err(SyntaxError::new(
                "named arguments cannot be used when calling a method",
                name_span,
            ));
        }
        let eq = self.bump_span();
        if self.at_end() || self.peek_punct(b')') || self.peek_punct(b',') {
            return Err(SyntaxError::new(
                format!("expected a value after `{name}=`"),
                eq,
            ));
        }
        Ok(Some((name, name_span)))
    }

    /// `[a, b, …]` (Pebble allows no postfix operation after a list).
    fn list(&mut self) -> PResult {
        let open = self.bump_span();
        let mut items = Vec::new();
        let mut d = 0;
        loop {
            match self.peek_kind() {
                Some(Tok::Punct(b']')) => {
                    let close = self.bump_span();
                    let d = self.deeper(d, &open)?;
                    let span = open.start..close.end;
                    return Ok((
                        Box::new(Expr {
                            kind: ExprKind::List(items),
                            span,
                        }),
                        d,
                    ));
                }
                None => return Err(unclosed(b'[', open)),
                _ => {}
            }
            if !items.is_empty() {
                self.separator(b']', "`,` or `]` in the list")?;
            }
            let (item, id) = self.expr(0)?;
            d = d.max(id);
            items.push(*item);
        }
    }

    /// `{key: value, …}` (no postfix operation either).
    fn map(&mut self) -> PResult {
        let open = self.bump_span();
        let mut entries = Vec::new();
        let mut d = 0;
        loop {
            match self.peek_kind() {
                Some(Tok::Punct(b'}')) => {
                    let close = self.bump_span();
                    let d = self.deeper(d, &open)?;
                    let span = open.start..close.end;
                    return Ok((
                        Box::new(Expr {
                            kind: ExprKind::Map(entries),
                            span,
                        }),
                        d,
                    ));
                }
                None => return Err(unclosed(b'{', open)),
                _ => {}
            }
            if !entries.is_empty() {
                self.separator(b'}', "`,` or `}` in the map")?;
            }
            let (key, kd) = self.expr(0)?;
            if !self.peek_punct(b':') {
                return Err(self.unexpected("`:` after the map key"));
            }
            let colon = self.bump_span();
            if self.peek_punct(b',') || self.peek_punct(b'}') || self.at_end() {
                return Err(SyntaxError::new(
                    "expected a value after `:` in the map",
                    colon,
                ));
            }
            let (value, vd) = self.expr(0)?;
            d = d.max(kd).max(vd);
            entries.push((*key, *value));
        }
    }

    // -- tag arguments ------------------------------------------------------

    fn expect_end(&self) -> Result<(), SyntaxError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.unexpected(self.closer))
        }
    }

    /// A name being bound (`set`, `for`, macro parameters).
    fn new_variable(&mut self, what: &str) -> Result<(String, Span), SyntaxError> {
        if self.peek_kind() != Some(Tok::Name) {
            return Err(self.unexpected(what));
        }
        let tok = self.bump();
        let name = self.text(&tok.span).to_string();
        if RESERVED.contains(&name.as_str()) {
            return Err(SyntaxError::new(
                format!("cannot assign a value to `{name}`"),
                tok.span,
            ));
        }
        Ok((name, tok.span))
    }

    /// An expression that must fill the rest of the tag.
    fn tag_expression(&mut self, after: &Span, what: &str) -> Result<Expr, SyntaxError> {
        if self.at_end() {
            return Err(SyntaxError::new(format!("expected {what}"), after.clone()));
        }
        let (expr, _) = self.expr(0)?;
        if !self.at_end() {
            let closer = self.closer;
            return Err(self.unexpected(&format!("an operator or {closer}")));
        }
        if let Some(soft) = self.soft.take() {
            return Err(soft);
        }
        Ok(*expr)
    }
}

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

/// An open `if` / `for` / `block` / `filter` / `macro`.
struct Open {
    tag: &'static str,
    span: Span,
    else_seen: bool,
    /// The opening block already has an error: do not report it again.
    reported: bool,
    block_name: Option<String>,
}

const STRUCTURAL: &[&str] = &["if", "for", "block", "filter", "macro"];

fn structural_name(name: &str) -> Option<(usize, &'static str)> {
    STRUCTURAL
        .iter()
        .copied()
        .enumerate()
        .find(|(_, s)| *s == name)
}

/// `{% name %}` as shown in messages.
fn tag_str(name: &str) -> String {
    format!("`{{% {name} %}}`")
}

struct TemplateParser<'s> {
    src: &'s str,
    nodes: Vec<Node>,
    errors: Vec<SyntaxError>,
    open: Vec<Open>,
    /// Names of the macros defined so far (Pebble rejects duplicates).
    macros: HashSet<String>,
    /// Number of open blocks of each structural tag (see `STRUCTURAL`).
    open_counts: [usize; 5],
    raw_memo: EndMemo,
    verbatim_memo: EndMemo,
}

impl<'s> TemplateParser<'s> {
    fn run(&mut self) {
        let src = self.src;
        let len = src.len();
        let mut pos = 0;
        while pos < len {
            let Some((at, delim)) = lexer::find_delimiter(src, pos) else {
                self.nodes.push(Node::Text(pos..len));
                break;
            };
            if at > pos {
                self.nodes.push(Node::Text(pos..at));
            }
            pos = match delim {
                Delim::Comment => self.comment(at),
                // Kestra replaces raw blocks before Pebble runs, so in
                // `{{% raw %}…` the first `{` is text.
                Delim::Print
                    if matches!(
                        lexer::match_block_memo(src, at + 1, BlockKind::Raw, &mut self.raw_memo),
                        BlockMatch::Closed { .. }
                    ) =>
                {
                    self.nodes.push(Node::Text(at..at + 1));
                    at + 1
                }
                Delim::Print => self.print(at),
                Delim::Tag => self.tag(at),
            };
        }
    }

    fn finish(mut self) -> Template {
        let open = std::mem::take(&mut self.open);
        for o in open {
            if !o.reported {
                self.errors.push(SyntaxError::new(
                    format!(
                        "{} is never closed: add {}",
                        tag_str(o.tag),
                        tag_str(&format!("end{}", o.tag))
                    ),
                    o.span,
                ));
            }
        }
        self.errors.sort_by_key(|e| (e.span.start, e.span.end));
        Template {
            nodes: self.nodes,
            errors: self.errors,
        }
    }

    fn comment(&mut self, at: usize) -> usize {
        if at + 2 >= self.src.len() {
            // Pebble accepts a `{#` that ends the template.
            self.nodes.push(Node::Comment(at..self.src.len()));
            return self.src.len();
        }
        match lexer::find_comment_end(self.src, at + 2) {
            Some(end) => {
                self.nodes.push(Node::Comment(at..end));
                end
            }
            None => {
                self.errors.push(SyntaxError::new(
                    "unterminated comment: `{#` has no matching `#}`",
                    at..at + 2,
                ));
                self.src.len()
            }
        }
    }

    fn print(&mut self, at: usize) -> usize {
        let src = self.src;
        let open_len = 2 + lexer::leading_trim_len(src, at + 2);
        let lexed = lexer::lex_block(src, at + open_len, Close::Print, at..at + open_len);
        let span = at..lexed.end;
        if let Some(err) = lexed.error {
            self.errors.push(err);
            return lexed.end;
        }
        if lexed.tokens.is_empty() {
            self.errors.push(SyntaxError::new(
                "empty expression: put a variable or a value between `{{` and `}}`",
                span,
            ));
            return lexed.end;
        }
        let close = lexed.close.clone().unwrap_or(span.end..span.end);
        let mut p = ExprParser::new(src, &lexed.tokens, close, "`}}`");
        match p.full_expression() {
            Ok((expr, soft)) => {
                if let Some(err) = soft {
                    self.errors.push(err);
                }
                self.nodes.push(Node::Print { expr, span });
            }
            Err(err) => self.errors.push(err),
        }
        lexed.end
    }

    fn tag(&mut self, at: usize) -> usize {
        let src = self.src;
        for raw in [true, false] {
            let (kind, memo) = if raw {
                (BlockKind::Raw, &mut self.raw_memo)
            } else {
                (BlockKind::Verbatim, &mut self.verbatim_memo)
            };
            match lexer::match_block_memo(src, at, kind, memo) {
                BlockMatch::Closed { content, end } => {
                    self.nodes.push(Node::Verbatim {
                        span: at..end,
                        content,
                        raw,
                    });
                    return end;
                }
                BlockMatch::Unclosed { open_end } => {
                    let message = if raw {
                        "`{% raw %}` is never closed: add `{% endraw %}`"
                    } else {
                        "`{% verbatim %}` is never closed: add `{% endverbatim %}`"
                    };
                    self.errors.push(SyntaxError::new(message, at..open_end));
                    return open_end;
                }
                BlockMatch::NotBlock => {}
            }
        }

        let open_len = 2 + lexer::leading_trim_len(src, at + 2);
        let lexed = lexer::lex_block(src, at + open_len, Close::Tag, at..at + open_len);
        let span = at..lexed.end;
        let close = lexed.close.clone().unwrap_or(span.end..span.end);

        let name_tok = lexed.tokens.first().filter(|t| t.kind == Tok::Name);
        let Some(name_tok) = name_tok else {
            let err = match (&lexed.error, lexed.tokens.first()) {
                (Some(err), _) => err.clone(),
                (None, None) => SyntaxError::new(
                    "empty tag: `{% %}` needs a tag name such as `if`, `for` or `set`",
                    span,
                ),
                (None, Some(tok)) => SyntaxError::new(
                    format!(
                        "expected a tag name after `{{%`, found `{}`",
                        src.get(tok.span.clone()).unwrap_or("")
                    ),
                    tok.span.clone(),
                ),
            };
            self.errors.push(err);
            return lexed.end;
        };
        let name_span = name_tok.span.clone();
        let name = src.get(name_span.clone()).unwrap_or("").to_string();

        if let Some(err) = lexed.error {
            // The block is broken; keep its place in the nesting if it is a
            // tag we know, and leave unknown tags to the linter.
            if is_known_tag(&name) {
                self.errors.push(err);
                self.structure(&name, &span, true, None);
                self.push_tag(name, name_span, TagKind::Invalid, span);
            } else {
                self.push_tag(name, name_span, TagKind::Unknown, span);
            }
            return lexed.end;
        }

        let rest = lexed.tokens.get(1..).unwrap_or(&[]);
        let mut p = ExprParser::new(src, rest, close, "`%}`");
        let parsed = parse_tag_args(&name, &name_span, &mut p);
        match parsed {
            Ok(kind) => {
                let block_name = match &kind {
                    TagKind::Block { name, .. } => Some(name.clone()),
                    _ => None,
                };
                let endblock_name = if name == "endblock" {
                    endblock_name(src, rest)
                } else {
                    None
                };
                let ok = match (&kind, endblock_name) {
                    (TagKind::EndBlock, Some((given, given_span))) => {
                        self.check_endblock_name(&given, given_span)
                    }
                    (
                        TagKind::Macro {
                            name: macro_name,
                            name_span: macro_span,
                            ..
                        },
                        _,
                    ) => self.check_macro_name(macro_name, macro_span),
                    _ => true,
                };
                self.structure(&name, &span, !ok, block_name);
                self.push_tag(name, name_span, kind, span);
            }
            Err(err) => {
                self.errors.push(err);
                if is_known_tag(&name) {
                    self.structure(&name, &span, true, None);
                    self.push_tag(name, name_span, TagKind::Invalid, span);
                }
            }
        }
        lexed.end
    }

    fn push_tag(&mut self, name: String, name_span: Span, kind: TagKind, span: Span) {
        self.nodes.push(Node::Tag {
            name,
            name_span,
            kind,
            span,
        });
    }

    /// Pebble refuses two macros with the same name in one template.
    fn check_macro_name(&mut self, name: &str, span: &Span) -> bool {
        if !self.macros.insert(name.to_string()) {
            self.errors.push(SyntaxError::new(
                format!("macro `{name}` is already defined in this template"),
                span.clone(),
            ));
            false
        } else {
            true
        }
    }

    /// `{% endblock name %}` must repeat the name of the open block.
    fn check_endblock_name(&mut self, given: &str, given_span: Span) -> bool {
        let open_name = self
            .open
            .iter()
            .rev()
            .find(|o| o.tag == "block")
            .and_then(|o| o.block_name.clone());
        match open_name {
            Some(open_name) if open_name != given => {
                self.errors.push(SyntaxError::new(
                    format!(
                        "`{{% endblock {given} %}}` does not match `{{% block {open_name} %}}`"
                    ),
                    given_span,
                ));
                false
            }
            _ => true,
        }
    }

    /// Tracks the nesting of structural tags; `reported` means the block
    /// already has an error, so no second one is added for it.
    fn structure(&mut self, name: &str, span: &Span, reported: bool, block_name: Option<String>) {
        if let Some((index, tag)) = structural_name(name) {
            if let Some(count) = self.open_counts.get_mut(index) {
                *count += 1;
            }
            self.open.push(Open {
                tag,
                span: span.clone(),
                else_seen: false,
                reported,
                block_name,
            });
            return;
        }
        match name {
            "else" | "elseif" => self.branch(name, span, reported),
            "endif" | "endfor" | "endblock" | "endfilter" | "endmacro" => {
                let opener = name.get(3..).unwrap_or("");
                self.close(opener, name, span, reported);
            }
            "endraw" | "endverbatim" if !reported => {
                let opener = name.get(3..).unwrap_or("");
                self.errors.push(SyntaxError::new(
                    format!("{} without a matching {}", tag_str(name), tag_str(opener)),
                    span.clone(),
                ));
            }
            _ => {}
        }
    }

    fn branch(&mut self, name: &str, span: &Span, reported: bool) {
        let message = match self.open.last_mut() {
            Some(o) if o.tag == "if" && !o.else_seen => {
                if name == "else" {
                    o.else_seen = true;
                }
                None
            }
            Some(o) if o.tag == "for" && name == "else" && !o.else_seen => {
                o.else_seen = true;
                None
            }
            Some(o) if (o.tag == "if" || o.tag == "for") && o.else_seen => Some(format!(
                "{} after {} in the same {}: {} must be the last branch",
                tag_str(name),
                tag_str("else"),
                tag_str(o.tag),
                tag_str("else")
            )),
            Some(o) if o.tag == "for" => Some(format!(
                "{} is not allowed in {}: only {} is",
                tag_str(name),
                tag_str("for"),
                tag_str("else")
            )),
            Some(o) => Some(format!(
                "{} cannot appear directly inside {}: close it with {} first",
                tag_str(name),
                tag_str(o.tag),
                tag_str(&format!("end{}", o.tag))
            )),
            None if name == "else" => Some(format!(
                "{} without a matching {} or {}",
                tag_str(name),
                tag_str("if"),
                tag_str("for")
            )),
            None => Some(format!(
                "{} without a matching {}",
                tag_str(name),
                tag_str("if")
            )),
        };
        if let (Some(message), false) = (message, reported) {
            self.errors.push(SyntaxError::new(message, span.clone()));
        }
    }

    /// Drops the open blocks from `len` on, keeping the counts right.
    fn truncate_open(&mut self, len: usize) {
        while self.open.len() > len {
            let Some(o) = self.open.pop() else {
                break;
            };
            if let Some((index, _)) = structural_name(o.tag) {
                if let Some(count) = self.open_counts.get_mut(index) {
                    *count = count.saturating_sub(1);
                }
            }
        }
    }

    fn close(&mut self, opener: &str, end: &str, span: &Span, reported: bool) {
        let last = self.open.len().checked_sub(1);
        let any_open = structural_name(opener)
            .and_then(|(index, _)| self.open_counts.get(index))
            .is_some_and(|&n| n > 0);
        let found = if any_open {
            self.open.iter().rposition(|o| o.tag == opener)
        } else {
            None
        };
        match found {
            Some(idx) if Some(idx) == last => {
                self.truncate_open(idx);
            }
            Some(idx) => {
                if !reported {
                    let inner = self.open.last().map_or("", |o| o.tag);
                    self.errors.push(SyntaxError::new(
                        format!(
                            "{} closes {}, but the {} opened inside it is still open: add {} first",
                            tag_str(end),
                            tag_str(opener),
                            tag_str(inner),
                            tag_str(&format!("end{inner}"))
                        ),
                        span.clone(),
                    ));
                }
                self.truncate_open(idx);
            }
            None => {
                if !reported {
                    self.errors.push(SyntaxError::new(
                        format!("{} without a matching {}", tag_str(end), tag_str(opener)),
                        span.clone(),
                    ));
                }
            }
        }
    }
}

/// Tags that keep a place in the nesting even when their arguments are
/// broken.
fn is_known_tag(name: &str) -> bool {
    matches!(
        name,
        "if" | "elseif"
            | "else"
            | "endif"
            | "for"
            | "endfor"
            | "set"
            | "block"
            | "endblock"
            | "filter"
            | "endfilter"
            | "macro"
            | "endmacro"
            | "raw"
            | "endraw"
            | "verbatim"
            | "endverbatim"
    )
}

/// The optional name repeated in `{% endblock name %}`.
fn endblock_name(src: &str, rest: &[Token]) -> Option<(String, Span)> {
    let tok = rest.first()?;
    let text = src.get(tok.span.clone())?;
    match tok.kind {
        Tok::Name => Some((text.to_string(), tok.span.clone())),
        Tok::Str => Some((lexer::unquote(text), tok.span.clone())),
        _ => None,
    }
}

fn parse_tag_args(
    name: &str,
    name_span: &Span,
    p: &mut ExprParser<'_, '_>,
) -> Result<TagKind, SyntaxError> {
    match name {
        "if" => Ok(TagKind::If(
            p.tag_expression(name_span, "a condition after `if`")?,
        )),
        "elseif" => Ok(TagKind::ElseIf(
            p.tag_expression(name_span, "a condition after `elseif`")?,
        )),
        "else" => {
            if let Some(tok) = p.peek() {
                if p.text(&tok.span) == "if" {
                    return Err(SyntaxError::new(
                        "write `{% elseif condition %}` instead of `{% else if condition %}`",
                        name_span.start..tok.span.end,
                    ));
                }
            }
            p.expect_end()?;
            Ok(TagKind::Else)
        }
        "endif" | "endfor" | "endfilter" | "endmacro" => {
            p.expect_end()?;
            Ok(match name {
                "endif" => TagKind::EndIf,
                "endfor" => TagKind::EndFor,
                "endfilter" => TagKind::EndFilter,
                _ => TagKind::EndMacro,
            })
        }
        "for" => {
            let var = p.new_variable("a loop variable name after `for`")?;
            if p.peek_punct(b',') {
                return Err(SyntaxError::new(
                    "Pebble's `for` takes a single loop variable, as in `{% for item in items %}`",
                    p.here(),
                ));
            }
            let in_tok = match p.peek() {
                Some(t) if t.kind == Tok::Op(Op::In) || p.text(&t.span) == "in" => p.bump(),
                _ => return Err(p.unexpected("`in` after the loop variable")),
            };
            let iterable = p.tag_expression(&in_tok.span, "an expression after `in`")?;
            Ok(TagKind::For {
                vars: vec![var],
                iterable,
            })
        }
        "set" => {
            let (var, var_span) = p.new_variable("a variable name after `set`")?;
            if !p.peek_punct(b'=') {
                return Err(p.unexpected("`=` after the variable name"));
            }
            let eq = p.bump();
            let value = p.tag_expression(&eq.span, "a value after `=`")?;
            Ok(TagKind::Set {
                name: var,
                name_span: var_span,
                value,
            })
        }
        "block" => {
            let tok = match p.peek() {
                Some(t) if matches!(t.kind, Tok::Name | Tok::Str) => p.bump(),
                _ => return Err(p.unexpected("a block name after `block`")),
            };
            p.expect_end()?;
            let text = p.text(&tok.span);
            let block_name = if tok.kind == Tok::Str {
                lexer::unquote(text)
            } else {
                text.to_string()
            };
            Ok(TagKind::Block {
                name: block_name,
                name_span: tok.span,
            })
        }
        "endblock" => {
            if matches!(p.peek_kind(), Some(Tok::Name | Tok::Str)) {
                p.bump();
            }
            p.expect_end()?;
            Ok(TagKind::EndBlock)
        }
        "filter" => {
            let mut calls = Vec::new();
            let mut after = name_span.clone();
            loop {
                if p.peek_kind() != Some(Tok::Name) {
                    return Err(match p.peek() {
                        Some(_) => p.unexpected("a filter name"),
                        None => SyntaxError::new("expected a filter name", after),
                    });
                }
                let tok = p.bump();
                let filter = p.text(&tok.span).to_string();
                let (args, _, end) = if p.peek_punct(b'(') {
                    p.args(false)?
                } else {
                    (Vec::new(), 0, tok.span.end)
                };
                calls.push(FilterCall {
                    name: filter,
                    name_span: tok.span.clone(),
                    args,
                    span: tok.span.start..end,
                });
                if p.peek_kind() == Some(Tok::Op(Op::Pipe)) {
                    after = p.bump().span;
                } else {
                    break;
                }
            }
            p.expect_end()?;
            Ok(TagKind::Filter(calls))
        }
        "macro" => {
            if p.peek_kind() != Some(Tok::Name) {
                return Err(p.unexpected("a macro name after `macro`"));
            }
            let tok = p.bump();
            let macro_name = p.text(&tok.span).to_string();
            if !p.peek_punct(b'(') {
                return Err(p.unexpected("`(` and the macro parameters"));
            }
            let open = p.bump();
            let mut params: Vec<MacroParam> = Vec::new();
            loop {
                if p.peek_punct(b')') {
                    p.bump();
                    break;
                }
                if p.at_end() {
                    return Err(SyntaxError::new("unclosed `(`: expected `)`", open.span));
                }
                if !params.is_empty() {
                    if !p.peek_punct(b',') {
                        return Err(p.unexpected("`,` or `)` in the parameter list"));
                    }
                    p.bump();
                }
                let (param, param_span) = p.new_variable("a parameter name")?;
                let default = if p.peek_punct(b'=') {
                    let eq = p.bump();
                    if p.at_end() {
                        return Err(SyntaxError::new("expected a default value", eq.span));
                    }
                    Some(*p.expr(0)?.0)
                } else {
                    None
                };
                params.push(MacroParam {
                    name: param,
                    name_span: param_span,
                    default,
                });
            }
            p.expect_end()?;
            if let Some(soft) = p.soft.take() {
                return Err(soft);
            }
            Ok(TagKind::Macro {
                name: macro_name,
                name_span: tok.span,
                params,
            })
        }
        "raw" | "verbatim" => Err(SyntaxError::new(
            format!("malformed {}: it takes no arguments", tag_str(name)),
            name_span.clone(),
        )),
        // Stray end tags of raw/verbatim blocks: reported by `structure`.
        "endraw" | "endverbatim" => Ok(TagKind::Invalid),
        _ => Ok(TagKind::Unknown),
    }
}
