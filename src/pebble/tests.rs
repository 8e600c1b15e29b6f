//! Tests of the Pebble module.

use super::ast::{Expr, ExprKind, Lit, Node, Span, TagKind, Template};
use super::names;
use super::parser::{has_delimiters, parse_expression, parse_template};
use super::refs::{self, Reference};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// S-expression form of an expression, to check its structure.
fn sx(e: &Expr) -> String {
    fn args(a: &[super::ast::Arg]) -> String {
        a.iter()
            .map(|arg| match &arg.name {
                Some((n, _)) => format!(" {n}={}", sx(&arg.value)),
                None => format!(" {}", sx(&arg.value)),
            })
            .collect()
    }
    match &e.kind {
        ExprKind::Literal(Lit::Str(s)) => format!("'{s}'"),
        ExprKind::Literal(Lit::Int(i)) => i.to_string(),
        ExprKind::Literal(Lit::Float(f)) => format!("{f:?}"),
        ExprKind::Literal(Lit::Bool(b)) => b.to_string(),
        ExprKind::Literal(Lit::Null) => "null".to_string(),
        ExprKind::List(items) => {
            let inner: Vec<String> = items.iter().map(sx).collect();
            format!("[{}]", inner.join(" "))
        }
        ExprKind::Interpolated(parts) => {
            let inner: Vec<String> = parts.iter().map(sx).collect();
            format!("(#str {})", inner.join(" "))
        }
        ExprKind::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", sx(k), sx(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        ExprKind::Var(n) => n.clone(),
        ExprKind::Attr {
            target,
            name,
            args: None,
            ..
        } => format!("(. {} {name})", sx(target)),
        ExprKind::Attr {
            target,
            name,
            args: Some(a),
            ..
        } => format!("(.call {} {name}{})", sx(target), args(a)),
        ExprKind::Index { target, index } => format!("([] {} {})", sx(target), sx(index)),
        ExprKind::Call { name, args: a, .. } => format!("({name}{})", args(a)),
        ExprKind::Filter {
            target,
            name,
            args: a,
            ..
        } => format!("(| {} {name}{})", sx(target), args(a)),
        ExprKind::Test {
            target,
            negated,
            name,
            args: a,
            ..
        } => {
            let op = if *negated { "is-not" } else { "is" };
            format!("({op} {} {name}{})", sx(target), args(a))
        }
        ExprKind::Unary { op, operand } => format!("({} {})", op.symbol(), sx(operand)),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", op.symbol(), sx(lhs), sx(rhs))
        }
        ExprKind::Ternary {
            cond,
            then: Some(then),
            otherwise,
        } => format!("(? {} {} {})", sx(cond), sx(then), sx(otherwise)),
        ExprKind::Ternary {
            cond,
            then: None,
            otherwise,
        } => format!("(?: {} {})", sx(cond), sx(otherwise)),
    }
}

/// Parses a bare expression and renders it as an S-expression.
fn px(src: &str) -> String {
    match parse_expression(src) {
        Ok(e) => sx(&e),
        Err(err) => panic!("{src:?} failed: {err}"),
    }
}

/// The error of a bare expression.
fn pe(src: &str) -> (String, Span) {
    match parse_expression(src) {
        Ok(e) => panic!("{src:?} parsed as {}", sx(&e)),
        Err(err) => (err.message, err.span),
    }
}

fn errors(src: &str) -> Vec<(String, Span)> {
    parse_template(src)
        .errors
        .into_iter()
        .map(|e| (e.message, e.span))
        .collect()
}

/// Parses a template that must have no error.
fn ok(src: &str) -> Template {
    let t = parse_template(src);
    assert!(t.errors.is_empty(), "{src:?}: {:?}", t.errors);
    assert_spans_valid(src, &t);
    t
}

/// The expressions printed by a template, as S-expressions.
fn prints(src: &str) -> Vec<String> {
    ok(src)
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Print { expr, .. } => Some(sx(expr)),
            _ => None,
        })
        .collect()
}

/// Only error of a template.
fn one_error(src: &str) -> (String, Span) {
    let t = parse_template(src);
    assert_spans_valid(src, &t);
    assert_eq!(t.errors.len(), 1, "{src:?}: {:?}", t.errors);
    let e = t.errors.into_iter().next().map(|e| (e.message, e.span));
    e.unwrap_or_default()
}

fn span_ok(src: &str, s: &Span) -> bool {
    s.start <= s.end
        && s.end <= src.len()
        && src.is_char_boundary(s.start)
        && src.is_char_boundary(s.end)
}

fn assert_spans_valid(src: &str, t: &Template) {
    let check = |s: &Span, what: &str| {
        assert!(span_ok(src, s), "{what} span {s:?} invalid in {src:?}");
    };
    for e in &t.errors {
        check(&e.span, "error");
    }
    for n in &t.nodes {
        match n {
            Node::Text(s) | Node::Comment(s) => check(s, "node"),
            Node::Print { span, .. } => check(span, "print"),
            Node::Tag {
                name_span, span, ..
            } => {
                check(span, "tag");
                check(name_span, "tag name");
            }
            Node::Verbatim { span, content, .. } => {
                check(span, "verbatim");
                check(content, "verbatim content");
            }
        }
    }
    refs::walk(t, &mut |e: &Expr| {
        check(&e.span, "expr");
        match &e.kind {
            ExprKind::Attr { name_span, .. }
            | ExprKind::Call { name_span, .. }
            | ExprKind::Filter { name_span, .. }
            | ExprKind::Test { name_span, .. } => check(name_span, "name"),
            _ => {}
        }
    });
}

fn ref_paths(src: &str) -> Vec<String> {
    refs::references(&ok(src))
        .iter()
        .map(|r: &Reference| {
            let mut s = r.root.clone();
            for seg in &r.segments {
                match (&seg.name, seg.bracket) {
                    (Some(n), true) => s.push_str(&format!("[{n}]")),
                    (None, true) => s.push_str("[?]"),
                    (Some(n), false) => s.push_str(&format!(".{n}")),
                    (None, false) => s.push_str(".?"),
                }
            }
            s
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Expression forms
// ---------------------------------------------------------------------------

#[test]
fn string_literals() {
    assert_eq!(px("'abc'"), "'abc'");
    assert_eq!(px("\"abc\""), "'abc'");
    assert_eq!(px(r"'it\'s'"), "'it's'");
    assert_eq!(px(r#""say \"hi\"""#), "'say \"hi\"'");
    // Pebble only unescapes the enclosing quote.
    assert_eq!(px(r"'a\nb'"), r"'a\nb'");
    assert_eq!(px("''"), "''");
    assert_eq!(px("'é😀'"), "'é😀'");
}

#[test]
fn interpolated_strings() {
    assert_eq!(px("\"a #{ b } c\""), "(#str 'a ' b ' c')");
    assert_eq!(px("\"#{ '}' ~ \"x\" }\""), "(#str (~ '}' 'x'))");
    assert_eq!(px("\"#{a}#{b}\""), "(#str a b)");
    assert_eq!(px("\"# not interpolation\""), "'# not interpolation'");
    assert_eq!(px("\"#{ {'a': 1} }\""), "(#str {'a': 1})");
    assert_eq!(px("\"x #{ \"y #{ z }\" }\""), "(#str 'x ' (#str 'y ' z))");
    assert_eq!(px("'#{ not interpolated }'"), "'#{ not interpolated }'");
    // Pebble joins a string with interpolation and a following literal.
    assert_eq!(px("\"#{a}\" \"b\""), "(~ (#str a) 'b')");
    assert_eq!(px("'a' \"#{b}\""), "(~ 'a' (#str b))");
    let t = parse_template("{{ \"a#{b}c\" }}");
    let Node::Print { expr, .. } = &t.nodes[0] else {
        panic!()
    };
    let ExprKind::Interpolated(parts) = &expr.kind else {
        panic!()
    };
    let spans: Vec<Span> = parts.iter().map(|p| p.span.clone()).collect();
    assert_eq!(spans, [4..5, 7..8, 9..10]);
}

#[test]
fn interpolation_errors() {
    assert_eq!(
        pe("\"#{ }\""),
        (
            "empty interpolation: expected an expression inside `#{ }`".to_string(),
            1..5
        )
    );
    let (msg, span) = pe("\"#{ x , }\"");
    assert!(msg.starts_with("unexpected token `,`"), "{msg}");
    assert_eq!(span, 6..7);
    assert_eq!(pe("'a' 'b'").1, 4..7);
    assert_eq!(pe("\"a#{b}c\" 'd'").1, 9..12);
    assert_eq!(pe("\"#{ a").1, 1..3);
    let deep = format!("{}{}", "\"#{".repeat(40), "}\"".repeat(40));
    assert!(pe(&deep).0.contains("nested too deeply"));
}

#[test]
fn number_and_keyword_literals() {
    assert_eq!(px("42"), "42");
    assert_eq!(px("42L"), "42");
    assert_eq!(px("1.5"), "1.5");
    assert_eq!(px("true"), "true");
    assert_eq!(px("TRUE"), "true");
    assert_eq!(px("false"), "false");
    assert_eq!(px("FALSE"), "false");
    assert_eq!(px("null"), "null");
    assert_eq!(px("none"), "null");
    assert_eq!(px("NONE"), "null");
    // Only these spellings are keywords.
    assert_eq!(px("True"), "True");
}

#[test]
fn lists_and_maps() {
    assert_eq!(px("[]"), "[]");
    assert_eq!(px("[1, 'a', b]"), "[1 'a' b]");
    assert_eq!(px("[[1], [2, 3]]"), "[[1] [2 3]]");
    assert_eq!(px("{}"), "{}");
    assert_eq!(px("{'k': v, 'n': 1}"), "{'k': v, 'n': 1}");
    assert_eq!(px("{'a': {'b': [1]}}"), "{'a': {'b': [1]}}");
    assert_eq!(px("{key: 1}"), "{key: 1}");
}

#[test]
fn variables_attributes_subscripts() {
    assert_eq!(px("a"), "a");
    assert_eq!(px("a.b.c"), "(. (. a b) c)");
    assert_eq!(px("a['b']"), "([] a 'b')");
    assert_eq!(px("a[0]"), "([] a 0)");
    assert_eq!(px("a[b.c]"), "([] a (. b c))");
    assert_eq!(px("a.b(1, 2)"), "(.call a b 1 2)");
    assert_eq!(px("(a).b"), "(. a b)");
    assert_eq!(px("'abc'.length"), "(. 'abc' length)");
    assert_eq!(px("é_1"), "é_1");
}

#[test]
fn function_calls() {
    assert_eq!(px("now()"), "(now)");
    assert_eq!(px("secret('API_KEY')"), "(secret 'API_KEY')");
    assert_eq!(
        px("kv('KEY', namespace='company.team')"),
        "(kv 'KEY' namespace='company.team')"
    );
    assert_eq!(px("f (1)"), "(f 1)");
    assert_eq!(px("fromJson(x).key"), "(. (fromJson x) key)");
    assert_eq!(px("f(g(h(1)))"), "(f (g (h 1)))");
}

#[test]
fn filters_and_tests() {
    assert_eq!(px("x | upper"), "(| x upper)");
    assert_eq!(px("x | date('yyyy')"), "(| x date 'yyyy')");
    assert_eq!(px("x | jq('.id') | first"), "(| (| x jq '.id') first)");
    assert_eq!(
        px("x | dateAdd(-1, unit='DAYS')"),
        "(| x dateAdd (- 1) unit='DAYS')"
    );
    assert_eq!(px("x is defined"), "(is x defined)");
    assert_eq!(px("x is not null"), "(is-not x null)");
    assert_eq!(px("x is empty"), "(is x empty)");
    assert_eq!(px("x is json"), "(is x json)");
    assert_eq!(px("x is divisible(3)"), "(is x divisible 3)");
}

#[test]
fn unary_operators() {
    assert_eq!(px("not a"), "(not a)");
    assert_eq!(px("-1"), "(- 1)");
    assert_eq!(px("+a"), "(+ a)");
    assert_eq!(px("not not a"), "(not (not a))");
    assert_eq!(px("-a.b"), "(- (. a b))");
    assert_eq!(px("a - -1"), "(- a (- 1))");
}

#[test]
fn binary_operators() {
    for (src, want) in [
        ("a or b", "(or a b)"),
        ("a and b", "(and a b)"),
        ("a == b", "(== a b)"),
        ("a equals b", "(equals a b)"),
        ("a != b", "(!= a b)"),
        ("a < b", "(< a b)"),
        ("a > b", "(> a b)"),
        ("a <= b", "(<= a b)"),
        ("a >= b", "(>= a b)"),
        ("a contains b", "(contains a b)"),
        ("a + b", "(+ a b)"),
        ("a - b", "(- a b)"),
        ("a * b", "(* a b)"),
        ("a / b", "(/ a b)"),
        ("a % b", "(% a b)"),
        ("a ~ b", "(~ a b)"),
        ("1..3", "(.. 1 3)"),
        ("a ?? b", "(?? a b)"),
        ("a ??? b", "(??? a b)"),
        ("a in b", "(in a b)"),
        ("a not in b", "(not in a b)"),
        ("a isIn ['x']", "(isIn a ['x'])"),
    ] {
        assert_eq!(px(src), want, "{src}");
    }
}

#[test]
fn word_operators_do_not_swallow_names() {
    assert_eq!(px("order"), "order");
    assert_eq!(px("notes"), "notes");
    assert_eq!(px("is_valid"), "is_valid");
    assert_eq!(px("android and inputs"), "(and android inputs)");
    assert_eq!(px("not inputs.x"), "(not (. inputs x))");
    assert_eq!(px("not in_progress"), "(not in_progress)");
    assert_eq!(px("contains_x"), "contains_x");
    // Kestra's word operators are accepted as attribute names, Pebble's not.
    assert_eq!(px("a.in"), "(. a in)");
    assert_eq!(px("a.isIn"), "(. a isIn)");
    let (msg, span) = pe("list.contains('x')");
    assert!(msg.contains("['contains']"), "{msg}");
    assert_eq!(span, 5..13);
}

#[test]
fn precedence() {
    for (src, want) in [
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c", "(or (and a b) c)"),
        ("a ?? b ?? c", "(?? (?? a b) c)"),
        ("not a == b", "(== (not a) b)"),
        ("not a and b", "(and (not a) b)"),
        ("x | upper ~ 'a'", "(~ (| x upper) 'a')"),
        ("'a' ~ x | upper", "(| (~ 'a' x) upper)"),
        ("a is not defined and b", "(and (is-not a defined) b)"),
        ("a == b is null", "(is (== a b) null)"),
        ("1..3", "(.. 1 3)"),
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a + b ~ c", "(+ a (~ b c))"),
        ("a ~ b ?? c", "(~ a (?? b c))"),
        ("a ?? b | f", "(| (?? a b) f)"),
        ("a | f ?? b", "(?? (| a f) b)"),
        ("a contains b and c", "(and (contains a b) c)"),
        ("a < b == c", "(== (< a b) c)"),
        ("a + b | abs", "(+ a (| b abs))"),
        ("a | abs + b", "(+ (| a abs) b)"),
        ("a..b | join(',')", "(| (.. a b) join ',')"),
        ("a ~ b..c", "(~ a (.. b c))"),
    ] {
        assert_eq!(px(src), want, "{src}");
    }
}

#[test]
fn conditional_expressions() {
    assert_eq!(px("c ? 'a' : 'b'"), "(? c 'a' 'b')");
    assert_eq!(px("a or b ? 1 : 2"), "(? (or a b) 1 2)");
    assert_eq!(px("a ? b : c ? d : e"), "(? a b (? c d e))");
    assert_eq!(px("a ? b ? c : d : e"), "(? a (? b c d) e)");
    assert_eq!(px("not a ? 1 : 2"), "(? (not a) 1 2)");
    assert_eq!(px("(a ? b : c) | upper"), "(| (? a b c) upper)");
    assert_eq!(px("a ? b : c | upper"), "(? a b (| c upper))");
    assert_eq!(px("[a ? 1 : 2]"), "[(? a 1 2)]");
}

#[test]
fn elvis_is_parsed_but_reported() {
    let t = parse_template("{{ a ?: b }}");
    assert_eq!(t.errors.len(), 1);
    assert_eq!(t.errors[0].span, 5..7);
    assert!(
        t.errors[0].message.contains("a ?? b"),
        "{}",
        t.errors[0].message
    );
    match &t.nodes[..] {
        [Node::Print { expr, .. }] => assert_eq!(sx(expr), "(?: a b)"),
        other => panic!("{other:?}"),
    }
    assert_eq!(pe("a ?: b").1, 2..4);
}

#[test]
fn kestra_coalescing() {
    assert_eq!(
        px("trigger.date ?? execution.startDate | dateAdd(-1, 'DAYS')"),
        "(| (?? (. trigger date) (. execution startDate)) dateAdd (- 1) 'DAYS')"
    );
    assert_eq!(px("a ??? b ?? c"), "(?? (??? a b) c)");
}

#[test]
fn expression_spans() {
    let t = ok("x {{ outputs['my-task'].value | upper }} y");
    let Node::Print { expr, span } = &t.nodes[1] else {
        panic!("{:?}", t.nodes)
    };
    assert_eq!(*span, 2..40);
    assert_eq!(expr.span, 5..37);
    let ExprKind::Filter {
        target, name_span, ..
    } = &expr.kind
    else {
        panic!()
    };
    assert_eq!(*name_span, 32..37);
    assert_eq!(target.span, 5..29);
}

// ---------------------------------------------------------------------------
// Templates, delimiters, whitespace control
// ---------------------------------------------------------------------------

#[test]
fn text_and_prints() {
    let t = ok("Hello {{ name }}!");
    assert_eq!(t.nodes.len(), 3);
    assert_eq!(t.nodes[0], Node::Text(0..6));
    assert!(matches!(&t.nodes[1], Node::Print { span, .. } if *span == (6..16)));
    assert_eq!(t.nodes[2], Node::Text(16..17));
}

#[test]
fn whitespace_control() {
    assert_eq!(prints("a {{- x -}} b"), ["x"]);
    assert_eq!(prints("{{ x -}}"), ["x"]);
    assert_eq!(prints("{{ x-}}"), ["x"]);
    // Pebble only trims when whitespace follows the dash: `{{-x}}` negates.
    assert_eq!(prints("{{-x}}"), ["(- x)"]);
    let t = ok("{%- if a -%} yes {%- else -%} no {%- endif -%}");
    assert_eq!(t.nodes.len(), 5);
    let t = ok("{#- comment -#}");
    assert_eq!(t.nodes, [Node::Comment(0..15)]);
    assert_eq!(one_error("{{-}}").1, 0..5);
}

#[test]
fn delimiters_inside_strings_do_not_close() {
    assert_eq!(prints("{{ '}}' }}"), ["'}}'"]);
    assert_eq!(prints("{{ \"}}\" ~ '%}' }}"), ["(~ '}}' '%}')"]);
    assert_eq!(prints("{{ 'a \\' }}' }}"), ["'a ' }}'"]);
    let t = ok("{% if a == '%}' %}yes{% endif %}");
    assert_eq!(t.nodes.len(), 3);
    // Brackets keep `}}` from closing a print block too.
    assert_eq!(prints("{{ {'a': {'b': 1}} }}"), ["{'a': {'b': 1}}"]);
    assert_eq!(prints("{{ \"#{ '}}' }\" }}"), ["(#str '}}')"]);
}

#[test]
fn comments() {
    let t = ok("a{# {{ not parsed }} {% if %} #}b");
    assert_eq!(
        t.nodes,
        [Node::Text(0..1), Node::Comment(1..32), Node::Text(32..33)]
    );
}

#[test]
fn raw_and_verbatim_blocks() {
    let src = "x{% raw %}{{ not pebble {% if %}{% endraw %}y";
    let t = ok(src);
    assert_eq!(
        t.nodes[1],
        Node::Verbatim {
            span: 1..44,
            content: 10..32,
            raw: true
        }
    );
    let src = "{% verbatim %}{% if x {{ y }}{% endverbatim %}{{ z }}";
    let t = ok(src);
    assert_eq!(
        t.nodes[0],
        Node::Verbatim {
            span: 0..46,
            content: 14..29,
            raw: false
        }
    );
    assert_eq!(prints(src), ["z"]);
    ok("{%- verbatim -%} {{ x {%- endverbatim -%}");
    ok("{%-raw-%}{{{%- endraw -%}");
    ok("{% raw %}\n{{ a }}\n{% endraw %}");
    ok("path: \"{% raw %}{{TABLE}}/{{UUID}}.{{FORMAT}}{% endraw %}\"");
}

#[test]
fn nested_tags() {
    let src = "{% for row in outputs.q.rows %}{% if row.ok %}{% set n = row.n %}{{ n }}\
               {% elseif row.skip %}-{% else %}{% for c in row.cols %}{{ c }}{% endfor %}{% endif %}\
               {% else %}none{% endfor %}";
    let t = ok(src);
    let tags: Vec<&str> = t
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Tag { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        tags,
        ["for", "if", "set", "elseif", "else", "for", "endfor", "endif", "else", "endfor"]
    );
    match &t.nodes[0] {
        Node::Tag {
            kind: TagKind::For { vars, iterable },
            name_span,
            ..
        } => {
            assert_eq!(vars, &[("row".to_string(), 7..10)]);
            assert_eq!(sx(iterable), "(. (. outputs q) rows)");
            assert_eq!(*name_span, 3..6);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn set_macro_filter_block_tags() {
    let t = ok("{% set x = [1, 2] | length %}");
    assert!(matches!(
        &t.nodes[0],
        Node::Tag { kind: TagKind::Set { name, name_span, value }, .. }
            if name == "x" && *name_span == (7..8) && sx(value) == "(| [1 2] length)"
    ));
    let t = ok("{% macro greet(who, greeting='hi') %}{{ greeting }} {{ who }}{% endmacro %}{{ greet('x') }}");
    match &t.nodes[0] {
        Node::Tag {
            kind: TagKind::Macro { name, params, .. },
            ..
        } => {
            assert_eq!(name, "greet");
            assert_eq!(params.len(), 2);
            assert_eq!(params[1].name, "greeting");
            assert_eq!(params[1].default.as_ref().map(sx), Some("'hi'".to_string()));
        }
        other => panic!("{other:?}"),
    }
    let t = ok("{% filter upper | replace({'A': 'b'}) %}abc{% endfilter %}");
    match &t.nodes[0] {
        Node::Tag {
            kind: TagKind::Filter(chain),
            ..
        } => {
            let names: Vec<&str> = chain.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["upper", "replace"]);
            assert_eq!(chain[1].args.len(), 1);
        }
        other => panic!("{other:?}"),
    }
    ok("{% block header %}x{% endblock %}{% block 'b' %}{% endblock b %}");
    ok("{% block a %}{% endblock a %}");
}

#[test]
fn unknown_and_removed_tags_are_recorded_without_error() {
    let t = ok("{% include 'x.peb' %}{% autoescape %}{{ a }}{% endautoescape %}{% elif %}");
    let unknown: Vec<&str> = t
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Tag {
                name,
                kind: TagKind::Unknown,
                ..
            } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(unknown, ["include", "autoescape", "endautoescape", "elif"]);
    // Even with lexical problems inside.
    ok("{% import & %}");
}

// ---------------------------------------------------------------------------
// Errors and their positions
// ---------------------------------------------------------------------------

#[test]
fn unterminated_print() {
    let (msg, span) = one_error("Hello {{ name");
    assert_eq!(msg, "unterminated `{{`: no matching `}}`");
    assert_eq!(span, 6..8);
    let (_, span) = one_error("a {{- b");
    assert_eq!(span, 2..5);
    let (msg, span) = one_error("{% if a");
    assert_eq!(msg, "unterminated `{%`: no matching `%}`");
    assert_eq!(span, 0..2);
}

#[test]
fn single_closing_brace() {
    let (msg, span) = one_error("{{ a }");
    assert_eq!(span, 5..6);
    assert!(msg.starts_with("unexpected token `}`"), "{msg}");
    assert!(msg.contains("`}}`"), "{msg}");
    let (msg, span) = one_error("{% if a }}x{% endif %}");
    assert_eq!(span, 8..9);
    assert!(msg.contains("`%}`"), "{msg}");
}

#[test]
fn unterminated_string() {
    let (msg, span) = one_error("{{ 'abc }}");
    assert_eq!(msg, "unclosed string literal");
    assert_eq!(span, 3..4);
    // Scanning resumes after the block: the next one is still parsed.
    let t = parse_template("{{ 'abc }} and {{ ok }}");
    assert_eq!(t.errors.len(), 1);
    assert_eq!(
        t.nodes
            .iter()
            .filter(|n| matches!(n, Node::Print { .. }))
            .count(),
        1
    );
    assert_eq!(one_error("{{ \"abc }}").1, 3..4);
    assert_eq!(one_error("{{ trigger.uri') }}").1, 14..15);
}

#[test]
fn empty_print() {
    let (msg, span) = one_error("x {{ }} y");
    assert!(msg.starts_with("empty expression"), "{msg}");
    assert_eq!(span, 2..7);
    assert_eq!(one_error("{{}}").1, 0..4);
    assert_eq!(one_error("{% %}").1, 0..5);
}

#[test]
fn two_expressions_in_a_row() {
    let (msg, span) = one_error("{{ a b }}");
    assert_eq!(msg, "unexpected token `b`: expected an operator or `}}`");
    assert_eq!(span, 5..6);
    let (msg, span) = one_error("{% if a b %}{% endif %}");
    assert_eq!(msg, "unexpected token `b`: expected an operator or `%}`");
    assert_eq!(span, 8..9);
}

#[test]
fn unexpected_characters() {
    let (msg, span) = one_error("{{ response.statusCode == 200 &!? }}");
    assert_eq!(
        msg,
        "unexpected token `&`: Pebble writes logical AND as `and`"
    );
    assert_eq!(span, 30..31);
    let (msg, span) = one_error("{{ a || b }}");
    assert_eq!(span, 5..7);
    assert!(msg.contains("`or`"), "{msg}");
    let (msg, _) = one_error("{{ !a }}");
    assert!(msg.contains("`not`"), "{msg}");
    let (msg, span) = one_error("{{ $x }}");
    assert_eq!(span, 3..4);
    assert!(msg.starts_with("unexpected token `$`"), "{msg}");
    let (msg, span) = one_error("{{ a\u{A0}}}");
    assert_eq!(span, 4..6);
    assert!(msg.contains("no-break space"), "{msg}");
    assert_eq!(one_error("{{ 😀 }}").1, 3..7);
}

#[test]
fn missing_operands() {
    let (msg, span) = one_error("{{ a | }}");
    assert_eq!(msg, "expected a filter name after `|`");
    assert_eq!(span, 5..6);
    let (msg, span) = one_error("{{ a + }}");
    assert_eq!(msg, "expected an expression after `+`");
    assert_eq!(span, 5..6);
    let (msg, span) = one_error("{{ a is }}");
    assert!(msg.starts_with("expected a test name after `is`"), "{msg}");
    assert_eq!(span, 5..7);
    let (msg, span) = one_error("{{ not }}");
    assert_eq!(msg, "expected an expression after `not`");
    assert_eq!(span, 3..6);
    let (msg, _) = one_error("{{ a ? b }}");
    assert!(msg.contains("`:`"), "{msg}");
    assert_eq!(one_error("{{ a. }}").1, 4..5);
}

#[test]
fn bracket_errors() {
    let (msg, span) = one_error("{{ foo( }}");
    assert!(msg.starts_with("mismatched `}`"), "{msg}");
    assert_eq!(span, 8..9);
    let (msg, span) = one_error("{{ a) }}");
    assert!(msg.starts_with("unexpected token `)`"), "{msg}");
    assert_eq!(span, 4..5);
    assert_eq!(one_error("{{ [1, 2) }}").1, 8..9);
    assert_eq!(pe("(a").1, 0..1);
    assert_eq!(pe("f(a, b").1, 1..2);
}

#[test]
fn argument_and_list_errors() {
    let (msg, span) = one_error("{{ f(a,) }}");
    assert!(msg.contains("trailing comma"), "{msg}");
    assert_eq!(span, 6..8);
    assert!(one_error("{{ [1,] }}").0.contains("trailing comma"));
    assert!(one_error("{{ {'a': 1,} }}").0.contains("trailing comma"));
    let (msg, span) = one_error("{{ f(a=1, 2) }}");
    assert_eq!(msg, "positional arguments must come before named arguments");
    assert_eq!(span, 10..11);
    let (msg, _) = one_error("{{ a.b(x=1) }}");
    assert!(msg.contains("method"), "{msg}");
    let (msg, _) = one_error("{{ f(true=1) }}");
    assert!(msg.contains("`true`"), "{msg}");
    assert!(one_error("{{ {'a' 1} }}").0.contains("`:`"));
    assert!(one_error("{{ f() () }}").0.contains("only a function name"));
    assert!(one_error("{{ (a)(b) }}").0.contains("only a function name"));
    // Pebble allows no subscript right after a list literal.
    assert_eq!(one_error("{{ [1, 2][0] }}").1, 9..10);
    let (msg, span) = one_error("{{ a.0 }}");
    assert!(msg.contains("`[0]`"), "{msg}");
    assert_eq!(span, 5..6);
    assert!(one_error("{{ a[] }}").0.starts_with("empty subscript"));
    assert!(one_error("{{ () }}").0.starts_with("empty parentheses"));
    let (msg, span) = one_error("{{ 99999999999999999999 }}");
    assert!(msg.contains("too large"), "{msg}");
    assert_eq!(span, 3..23);
}

#[test]
fn is_not_needs_one_space() {
    let (msg, span) = one_error("{{ a is  not null }}");
    assert!(msg.contains("exactly one space"), "{msg}");
    assert_eq!(span, 5..12);
}

#[test]
fn unbalanced_tags() {
    let (msg, span) = one_error("x {% endif %}");
    assert_eq!(msg, "`{% endif %}` without a matching `{% if %}`");
    assert_eq!(span, 2..13);
    let (msg, span) = one_error("{% if a %}x");
    assert_eq!(msg, "`{% if %}` is never closed: add `{% endif %}`");
    assert_eq!(span, 0..10);
    let (msg, span) = one_error("{% for x in xs %}{{ x }}");
    assert_eq!(msg, "`{% for %}` is never closed: add `{% endfor %}`");
    assert_eq!(span, 0..17);
    let (msg, span) = one_error("{% for x in y %}{% if a %}{% endfor %}");
    assert!(msg.contains("`{% if %}` opened inside it"), "{msg}");
    assert_eq!(span, 26..38);
    let (msg, span) = one_error("{% if a %}{% endfor %}{% endif %}");
    assert_eq!(msg, "`{% endfor %}` without a matching `{% for %}`");
    assert_eq!(span, 10..22);
    assert!(one_error("{% else %}").0.contains("without a matching"));
    assert!(one_error("{% elseif a %}").0.contains("without a matching"));
    assert!(one_error("{% if a %}{% else %}{% elseif b %}{% endif %}")
        .0
        .contains("must be the last branch"));
    assert!(one_error("{% if a %}{% else %}{% else %}{% endif %}")
        .0
        .contains("must be the last branch"));
    assert!(one_error("{% for x in y %}{% elseif b %}{% endfor %}")
        .0
        .contains("not allowed"));
    assert!(one_error("{% filter upper %}{% else %}{% endfilter %}")
        .0
        .contains("`{% endfilter %}`"));
    assert!(one_error("{% macro m() %}").0.contains("`{% endmacro %}`"));
    assert!(one_error("{% block a %}{% endblock b %}")
        .0
        .contains("does not match"));
}

#[test]
fn tag_argument_errors() {
    let (msg, span) = one_error("{% if a = 1 %}{% endif %}");
    assert!(msg.contains("use `==`"), "{msg}");
    assert_eq!(span, 8..9);
    let (msg, span) = one_error("{% if a %}{% else if b %}{% endif %}");
    assert!(msg.contains("elseif"), "{msg}");
    assert_eq!(span, 13..20);
    let (msg, span) = one_error("{% for k, v in m %}{% endfor %}");
    assert!(msg.contains("single loop variable"), "{msg}");
    assert_eq!(span, 8..9);
    assert!(one_error("{% for x of y %}{% endfor %}").0.contains("`in`"));
    assert!(one_error("{% for x in %}{% endfor %}")
        .0
        .contains("after `in`"));
    assert!(one_error("{% if %}{% endif %}").0.contains("a condition"));
    assert!(one_error("{% set true = 1 %}").0.contains("cannot assign"));
    assert!(one_error("{% set x 1 %}").0.contains("`=`"));
    assert!(one_error("{% set x = %}").0.contains("a value"));
    assert!(one_error("{% endif x %}").0.contains("`%}`"));
    assert!(one_error("{% 5 %}").0.contains("tag name"));
    // A broken opening tag is reported once, not again as never closed.
    assert_eq!(errors("{% if a b %}").len(), 1);
    assert_eq!(errors("{% if a b %}x{% endif %}").len(), 1);
}

#[test]
fn comment_raw_verbatim_errors() {
    let (msg, span) = one_error("echo ${#arr[@]}");
    assert!(msg.starts_with("unterminated comment"), "{msg}");
    assert_eq!(span, 6..8);
    let (msg, span) = one_error("{% raw %}{{ x }}");
    assert_eq!(msg, "`{% raw %}` is never closed: add `{% endraw %}`");
    assert_eq!(span, 0..9);
    let (msg, span) = one_error("a {% endraw %}");
    assert_eq!(msg, "`{% endraw %}` without a matching `{% raw %}`");
    assert_eq!(span, 2..14);
    let (msg, _) = one_error("{% verbatim %}{{ x }}");
    assert!(msg.contains("`{% endverbatim %}`"), "{msg}");
    assert!(one_error("{% endverbatim %}")
        .0
        .contains("without a matching"));
}

#[test]
fn every_independent_error_once_per_block() {
    let t = parse_template("{{ a b }} ok {{ c d }} {{ }} {% endif %} {{ 'x }} {{ y");
    assert_spans_valid("{{ a b }} ok {{ c d }} {{ }} {% endif %} {{ 'x }} {{ y", &t);
    let spans: Vec<Span> = t.errors.iter().map(|e| e.span.clone()).collect();
    assert_eq!(spans, [5..6, 18..19, 23..28, 29..40, 44..45, 50..52]);
}

#[test]
fn bare_expression_errors() {
    assert_eq!(pe("").1, 0..0);
    assert_eq!(pe("a b").1, 2..3);
    assert_eq!(pe("a +").1, 2..3);
    assert_eq!(pe("'abc").1, 0..1);
    assert_eq!(pe("a }}").1, 2..3);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // Run on a 1 MiB stack (half of a default thread's) to keep a margin:
    // 128 levels take about 0.5 MiB in a debug build, 0.15 MiB in release.
    let worker = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(deep_nesting_cases);
    let joined = worker.map(std::thread::JoinHandle::join);
    assert!(matches!(joined, Ok(Ok(()))), "deep nesting test failed");
}

fn deep_nesting_cases() {
    let n = 10_000;
    let parens = format!("{{{{ {}a{} }}}}", "(".repeat(n), ")".repeat(n));
    let brackets = format!("{{{{ {}1{} }}}}", "[".repeat(n), "]".repeat(n));
    let maps = format!("{{{{ {}{}", "{'a': ".repeat(n), "}".repeat(n + 2));
    let nots = format!("{{{{ {}a }}}}", "not ".repeat(n));
    let minus = format!("{{{{ {}a }}}}", "-".repeat(n));
    let calls = format!("{{{{ {}1{} }}}}", "f(".repeat(n), ")".repeat(n));
    let chain = format!("{{{{ a{} }}}}", ".b".repeat(n));
    let sums = format!("{{{{ a{} }}}}", " + a".repeat(n));
    let filters = format!("{{{{ a{} }}}}", " | f".repeat(n));
    let ternary = format!("{{{{ {}1 }}}}", "a ? b : ".repeat(n));
    let interp = format!("{{{{ {}{} }}}}", "\"#{".repeat(n), "}\"".repeat(n));
    for src in [
        &parens, &brackets, &maps, &nots, &minus, &calls, &chain, &sums, &filters, &ternary,
    ] {
        let t = parse_template(src);
        assert_spans_valid(src, &t);
        assert_eq!(t.errors.len(), 1, "{}", &src[..20]);
        assert!(
            t.errors[0].message.contains("nested too deeply"),
            "{}",
            t.errors[0].message
        );
        assert!(parse_expression(src.trim_start_matches("{{").trim_end_matches("}}")).is_err());
    }
    // Interpolation nesting is bounded in the lexer.
    let (msg, _) = one_error(&interp);
    assert!(msg.contains("nested too deeply"), "{msg}");
    // Moderate nesting is fine.
    ok(&format!("{{{{ {}a{} }}}}", "(".repeat(60), ")".repeat(60)));
    ok(&format!("{{{{ a{} }}}}", " + a".repeat(200)));
}

// ---------------------------------------------------------------------------
// Text that is not Pebble
// ---------------------------------------------------------------------------

#[test]
fn non_pebble_text_is_plain_text() {
    for src in [
        "echo ${VAR}",
        "echo $(date +%s)",
        "a { b",
        "a } b",
        "}}",
        "%}",
        "#}",
        "{\"a\": {\"b\": 1}}",
        "{\"a\": [{\"b\": {\"c\": 1}}]}",
        "print(f\"{x}\")",
        "{ {x} }",
        "SELECT * FROM t WHERE a = '{' ",
        "awk '{print $1}'",
        "{ %",
        "é😀 {",
        "",
    ] {
        let t = ok(src);
        assert!(
            t.nodes.iter().all(|n| matches!(n, Node::Text(_))),
            "{src:?}: {:?}",
            t.nodes
        );
        assert!(!has_delimiters(src), "{src:?}");
        if !src.is_empty() {
            assert_eq!(t.nodes, [Node::Text(0..src.len())], "{src:?}");
        }
    }
    assert!(has_delimiters("a {{ b }}"));
    assert!(has_delimiters("{% if %}"));
    assert!(has_delimiters("{# c #}"));
}

// ---------------------------------------------------------------------------
// Typical Kestra expressions (kestra.io documentation)
// ---------------------------------------------------------------------------

#[test]
fn kestra_documentation_examples() {
    for (src, want) in [
        ("{{ outputs.task_id.uri }}", "(. (. outputs task_id) uri)"),
        ("{{ inputs['my-input'] }}", "([] inputs 'my-input')"),
        ("{{ secret('API_KEY') }}", "(secret 'API_KEY')"),
        (
            "{{ kv('KEY', namespace='company.team') }}",
            "(kv 'KEY' namespace='company.team')",
        ),
        (
            "{{ now() | date(\"yyyy-MM-dd\") }}",
            "(| (now) date 'yyyy-MM-dd')",
        ),
        (
            "{{ read(outputs.x.uri) | fromJson }}",
            "(| (read (. (. outputs x) uri)) fromJson)",
        ),
        (
            "{{ taskrun.value | jq('.id') | first }}",
            "(| (| (. taskrun value) jq '.id') first)",
        ),
        (
            "{{ fromJson(taskrun.value).key }}",
            "(. (fromJson (. taskrun value)) key)",
        ),
        (
            "{{ parents[0].taskrun.value }}",
            "(. (. ([] parents 0) taskrun) value)",
        ),
        (
            "{{ outputs.t1[taskrun.value].value }}",
            "(. ([] (. outputs t1) (. taskrun value)) value)",
        ),
        (
            "{{ outputs['produce-output'].value }}",
            "(. ([] outputs 'produce-output') value)",
        ),
        (
            "{{ flow.namespace ~ '.' ~ flow.id }}",
            "(~ (~ (. flow namespace) '.') (. flow id))",
        ),
        (
            "{{ execution.startDate | dateAdd(-1, 'DAYS') | date('yyyy-MM-dd') }}",
            "(| (| (. execution startDate) dateAdd (- 1) 'DAYS') date 'yyyy-MM-dd')",
        ),
        ("{{ [1, 2, 3] | toJson }}", "(| [1 2 3] toJson)"),
        (
            "{{ foo ?? bar ?? \"default\" }}",
            "(?? (?? foo bar) 'default')",
        ),
        ("{{ foo == null ? bar : baz }}", "(? (== foo null) bar baz)"),
        (
            "{{ \"apple\" ~ \"pear\" ~ \"banana\" }}",
            "(~ (~ 'apple' 'pear') 'banana')",
        ),
        (
            "{{ http(uri = 'https://dummyjson.com/products/categories') | jq('.[].slug') }}",
            "(| (http uri='https://dummyjson.com/products/categories') jq '.[].slug')",
        ),
        ("{{ nanoId(length=10) }}", "(nanoId length=10)"),
        ("{{ randomInt(1, 10) }}", "(randomInt 1 10)"),
        ("{{ range(0, 6, 2) }}", "(range 0 6 2)"),
        (
            "{{ {\"value\": [1, 2, 3]} | jq(\".[][1]\") | first }}",
            "(| (| {'value': [1 2 3]} jq '.[][1]') first)",
        ),
        (
            "{{ errorLogs()[0]['message'] }}",
            "([] ([] (errorLogs) 0) 'message')",
        ),
        (
            "{{ currentEachOutput(outputs.first).value }}",
            "(. (currentEachOutput (. outputs first)) value)",
        ),
        (
            "{{ trigger.body.data ?? 'x' }}",
            "(?? (. (. trigger body) data) 'x')",
        ),
        (
            "{{ labels.team is defined ? labels.team : 'none' }}",
            "(? (is (. labels team) defined) (. labels team) 'none')",
        ),
        (
            "{{ 'pear' in ['apple', 'pear'] }}",
            "(in 'pear' ['apple' 'pear'])",
        ),
    ] {
        assert_eq!(prints(src), [want], "{src}");
    }
    ok("{% for item in outputs.fetch.rows %}{{ item.name }}{% endfor %}");
    ok("{% if 2 is even and 3 is odd %}...{% endif %}");
    ok("{% if [\"apple\", \"pear\", \"banana\"] contains \"apple\" %}...{% endif %}");
    ok("{% set header = \"Welcome Page\" %}{{ header }}");
    ok("{% for user in users %}{{ user.name }}{% else %}No users found.{% endfor %}");
    ok("{% filter lower | title %}hello world{% endfilter %}");
    ok("{% if user.email is empty %}...{% endif %}{% if name is not null %}...{% endif %}");
    ok("Run ID: {{ uuid() }} started at {{ now() | date('yyyy-MM-dd HH:mm:ss') }}");
    ok("{{ max(5, 10, 15) }} {# output: 15 #}");
    ok("{{ outputs.generate.value | jq('.[] | select(.value > 1)') }}");
}

// ---------------------------------------------------------------------------
// References and uses
// ---------------------------------------------------------------------------

#[test]
fn reference_segments() {
    let t = ok("{{ outputs['my-task'].value }}");
    let r = refs::references(&t);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].root, "outputs");
    assert_eq!(r[0].root_span, 3..10);
    assert_eq!(r[0].span, 3..27);
    assert_eq!(r[0].segments.len(), 2);
    assert_eq!(r[0].segments[0].name.as_deref(), Some("my-task"));
    assert!(r[0].segments[0].bracket);
    assert_eq!(r[0].segments[0].span, 10..21);
    assert_eq!(r[0].segments[1].name.as_deref(), Some("value"));
    assert!(!r[0].segments[1].bracket);
    assert_eq!(r[0].segments[1].span, 22..27);
}

#[test]
fn reference_paths() {
    assert_eq!(
        ref_paths("{{ outputs.t1[taskrun.value].value }}"),
        ["outputs.t1[?].value", "taskrun.value"]
    );
    assert_eq!(
        ref_paths("{{ parents[0].taskrun.value }}"),
        ["parents[0].taskrun.value"]
    );
    assert_eq!(
        ref_paths("{{ fromJson(taskrun.value).key }}"),
        ["taskrun.value"]
    );
    assert_eq!(
        ref_paths("{{ inputs.a ?? vars.b | default(flow.id) }}"),
        ["inputs.a", "vars.b", "flow.id"]
    );
    assert_eq!(ref_paths("{{ a.b(c.d) }}"), ["a.b", "c.d"]);
    assert_eq!(ref_paths("{{ x is defined ? x : 'n' }}"), ["x", "x",]);
    assert_eq!(ref_paths("{{ \"#{inputs.x}\" ~ 'y' }}"), ["inputs.x"]);
}

#[test]
fn references_skip_loop_and_set_locals() {
    let src = "{% for item in outputs.fetch.rows %}{{ item.name }}{{ loop.index }}{{ inputs.x }}{% endfor %}{{ item }}";
    assert_eq!(ref_paths(src), ["outputs.fetch.rows", "inputs.x", "item"]);
    let src = "{{ x }}{% set x = inputs.a %}{{ x.b }}{% if c %}{% set y = 1 %}{% endif %}{{ y }}";
    assert_eq!(ref_paths(src), ["x", "inputs.a", "c"]);
    let src =
        "{% for a in xs %}{% for b in a.items %}{{ a.n }}{{ b }}{% endfor %}{{ b }}{% endfor %}";
    assert_eq!(ref_paths(src), ["xs", "b"]);
    let src = "{% macro m(p, q=inputs.d) %}{{ p.q }}{{ q }}{{ outputs.z }}{% endmacro %}{{ p }}{{ m(1) }}";
    assert_eq!(ref_paths(src), ["inputs.d", "outputs.z", "p"]);
    // A loop variable is not visible inside a macro body.
    let src = "{% for i in xs %}{% macro m() %}{{ i }}{% endmacro %}{% endfor %}";
    assert_eq!(ref_paths(src), ["xs", "i"]);
}

#[test]
fn calls_filters_tests() {
    let t = ok("{{ secret('A') | upper }}{% if x is not null and kv('K') is defined %}{% filter lower | trim %}{{ y | jq('.a') }}{% endfilter %}{% endif %}");
    let c: Vec<&str> = refs::calls(&t).iter().map(|i| i.name).collect();
    assert_eq!(c, ["secret", "kv"]);
    let f: Vec<&str> = refs::filters(&t).iter().map(|i| i.name).collect();
    assert_eq!(f, ["upper", "lower", "trim", "jq"]);
    let ts: Vec<&str> = refs::tests(&t).iter().map(|i| i.name).collect();
    assert_eq!(ts, ["null", "defined"]);
    let first = &refs::calls(&t)[0];
    assert_eq!(first.name_span, 3..9);
    assert_eq!(first.args.len(), 1);
    assert!(first.expr.is_some());
    let t = ok("{% macro m(a) %}{% endmacro %}{{ m(1) }}");
    assert_eq!(refs::macro_names(&t), ["m"]);
    let mut n = 0;
    refs::walk(&t, &mut |_| n += 1);
    assert_eq!(n, 2);
}

// ---------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------

#[test]
fn name_tables() {
    assert_eq!(
        names::function("json").and_then(|n| n.replacement),
        Some("fromJson")
    );
    assert_eq!(
        names::filter("json").and_then(|n| n.replacement),
        Some("toJson")
    );
    assert!(names::function("fromJson").is_some_and(|n| n.replacement.is_none()));
    assert!(names::filter("toJson").is_some());
    assert!(names::filter("escape").is_none());
    assert_eq!(
        names::removed_filter("numberformat").and_then(|n| n.replacement),
        Some("numberFormat")
    );
    assert!(names::test("json").is_some());
    assert_eq!(
        names::tag("include").map(|t| t.status),
        Some(names::TagStatus::Removed)
    );
    assert_eq!(
        names::tag("raw").map(|t| t.status),
        Some(names::TagStatus::Supported)
    );
    assert_eq!(
        names::function("credential").map(|n| n.origin),
        Some(names::Origin::Enterprise)
    );
    for table in [names::FUNCTIONS, names::FILTERS, names::TESTS] {
        let mut seen = std::collections::HashSet::new();
        for entry in table {
            assert!(seen.insert(entry.name), "duplicate {}", entry.name);
        }
    }
}

#[test]
fn did_you_mean() {
    let filters = || names::names(names::FILTERS);
    let functions = || names::names(names::FUNCTIONS);
    assert_eq!(names::suggest("toJosn", filters()), Some("toJson"));
    assert_eq!(names::suggest("lenght", filters()), Some("length"));
    assert_eq!(names::suggest("fromjson", functions()), Some("fromJson"));
    assert_eq!(names::suggest("secrets", functions()), Some("secret"));
    assert_eq!(names::suggest("dateadd", filters()), Some("dateAdd"));
    assert_eq!(names::suggest("upercase", filters()), None);
    assert_eq!(names::suggest("xyz", filters()), None);
    assert_eq!(names::suggest("a", filters()), None);
    assert_eq!(names::suggest("", filters()), None);
    assert_eq!(
        names::suggest("ab", ["AB", "ac"].iter().copied()),
        Some("AB")
    );
    let long = "x".repeat(10_000);
    assert_eq!(names::suggest(&long, filters()), None);
    let d = |a: &str, b: &str| {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        names::osa_distance(&a, &b)
    };
    assert_eq!(d("abc", "acb"), 1);
    assert_eq!(d("kitten", "sitting"), 3);
    assert_eq!(d("", "abc"), 3);
    assert_eq!(d("ca", "abc"), 3);
}

// ---------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Counts the places where a block can start.
fn delimiter_count(s: &str) -> usize {
    s.as_bytes()
        .windows(2)
        .filter(|w| w[0] == b'{' && matches!(w[1], b'{' | b'%' | b'#'))
        .count()
}

#[test]
fn random_input_never_panics_and_spans_are_valid() {
    const ALPHABET: &[&str] = &[
        "{", "}", "%", "#", "-", "|", "'", "\"", "\\", "(", ")", "[", "]", ".", ",", ":", "?", "a",
        "z", "0", "9", " ", "\n", "é", "😀", "{{", "}}", "{%", "%}", "{#", "#}", "=", "!", "~",
        "+", "*", "<", "is ", "not ", "if ", "for ", "in ", "end", "raw", "verbatim", "#{",
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut total_errors = 0usize;
    for _ in 0..100_000 {
        let len = rng.below(24);
        let mut s = String::new();
        if rng.below(2) == 0 {
            s.push_str("{{ ");
        }
        for _ in 0..len {
            s.push_str(ALPHABET[rng.below(ALPHABET.len())]);
        }
        let t = parse_template(&s);
        assert_spans_valid(&s, &t);
        assert!(
            t.errors.len() <= delimiter_count(&s),
            "{s:?}: {:?}",
            t.errors
        );
        total_errors += t.errors.len();
        if let Err(e) = parse_expression(&s) {
            assert!(span_ok(&s, &e.span), "{s:?}: {e:?}");
        }
        let _ = refs::references(&t);
    }
    assert!(total_errors > 0);
}

// ---------------------------------------------------------------------------
// Behaviours checked against Pebble itself
// ---------------------------------------------------------------------------

#[test]
fn pebble_edge_cases() {
    // Two macros with one name.
    let (msg, span) = one_error("{% macro m() %}{% endmacro %}{% macro m(a) %}{% endmacro %}");
    assert_eq!(msg, "macro `m` is already defined in this template");
    assert_eq!(span, 38..39);
    // A `{#` ending the template is accepted by Pebble's lexer.
    assert_eq!(ok("a {#").nodes, [Node::Text(0..2), Node::Comment(2..4)]);
    assert_eq!(one_error("a {# ").1, 2..4);
    // Kestra replaces raw blocks before Pebble: in `{{% raw %}` the raw tag
    // starts at the second brace.
    let t = ok("{{% raw %}x{% endraw %}");
    assert_eq!(t.nodes[0], Node::Text(0..1));
    assert!(matches!(t.nodes[1], Node::Verbatim { raw: true, .. }));
    // Pebble's parser crashes on `block()` without a positional argument.
    assert_eq!(one_error("{{ block () }}").1, 3..11);
    assert_eq!(prints("{{ block('b') }}"), ["(block 'b')"]);
    // `{% endblock %}` may repeat the block name, as a name or a string.
    ok("{% block 'x y' %}{% endblock 'x y' %}");
}

#[test]
fn unusual_whitespace_before_closing_delimiters() {
    // Pebble finds `}}` after ASCII whitespace only.
    let (msg, span) = one_error("{{ a\u{2003}}}");
    assert!(msg.contains("U+2003"), "{msg}");
    assert_eq!(span, 4..7);
    assert_eq!(one_error("{% if a\u{3000}%}{% endif %}").1, 7..10);
    assert_eq!(one_error("{{ \"#{ a\u{2003}}\" }}").1, 8..11);
    // Elsewhere it is ordinary whitespace.
    assert_eq!(prints("{{\u{2003}a\u{2003}+ b }}"), ["(+ a b)"]);
    assert_eq!(prints("{{ \u{1C}a }}"), ["a"]);
    assert!(one_error("{{ a\u{1C} }}").0.contains("U+001C"));
}

#[test]
fn raw_blocks_in_sequence() {
    let t = ok("{% raw %}{% raw %}x{% endraw %}");
    assert_eq!(
        t.nodes,
        [Node::Verbatim {
            span: 0..31,
            content: 9..19,
            raw: true
        }]
    );
    let src = "{% raw %}a{% endraw %}{% raw %}b{% raw %}c";
    let t = parse_template(src);
    let spans: Vec<Span> = t.errors.iter().map(|e| e.span.clone()).collect();
    assert_eq!(spans, [22..31, 32..41]);
    let src = "{% verbatim %}a{% endverbatim %}{% verbatim %}b{% endverbatim %}{% verbatim %}";
    let t = parse_template(src);
    assert_eq!(t.errors.len(), 1);
    assert_eq!(t.errors[0].span, 64..78);
    // Many unclosed tags: one error each, found without rescanning.
    let many = "{% raw %}".repeat(5_000);
    assert_eq!(parse_template(&many).errors.len(), 5_000);
}

#[test]
fn precedence_table_matches_the_parser() {
    use super::lexer::{match_operator, OPERATORS};
    use super::parser::{binary_precedence, PRECEDENCE};
    for (symbol, prec) in PRECEDENCE {
        let matched = match_operator(symbol.as_bytes(), 0);
        let Some((op, len)) = matched else {
            panic!("{symbol} does not lex as an operator");
        };
        assert_eq!(len, symbol.len(), "{symbol}");
        assert_eq!(binary_precedence(op), Some(*prec), "{symbol}");
    }
    // Every operator the lexer knows is in the table, except unary `not`.
    for (symbol, _) in OPERATORS {
        assert!(
            *symbol == "not" || PRECEDENCE.iter().any(|(s, _)| s == symbol),
            "{symbol}"
        );
    }
}
