use super::*;
use crate::yaml::parse;

/// Apply what `f` builds on `text`'s tree; the result must parse.
fn run(text: &str, f: impl Fn(&Editor<'_>, &Node) -> Option<Vec<Edit>>) -> String {
    let doc = parse(text);
    assert!(doc.syntax_error.is_none(), "input does not parse: {text}");
    let editor = Editor::new(text, &doc);
    let edits = f(&editor, doc.root.as_ref().unwrap()).expect("the edit applies");
    let (out, n) = crate::fix::apply(text, &[edits]);
    assert_eq!(n, 1, "edits overlap");
    let after = parse(&out);
    assert!(
        after.syntax_error.is_none(),
        "result does not parse:\n{out}\n{:?}",
        after.syntax_error
    );
    out
}

fn one(e: Option<Edit>) -> Option<Vec<Edit>> {
    e.map(|e| vec![e])
}

fn data(text: &str) -> serde_json::Value {
    parse(text)
        .root
        .map_or(serde_json::Value::Null, |r| r.to_json())
}

fn at<'n>(root: &'n Node, pointer: &str) -> &'n Node {
    root.pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"))
}

// ----- scalars ------------------------------------------------------------------------------

#[test]
fn replace_scalar_keeps_plain_and_quotes() {
    let text = "a: old # note\nb: 'it''s'\nc: \"x\\ty\"\nd: 3\n";
    let out = run(text, |e, r| {
        Some(vec![
            e.replace_scalar(at(r, "/a"), "new value")?,
            e.replace_scalar(at(r, "/b"), "they're")?,
            e.replace_scalar(at(r, "/c"), "tab\there")?,
            e.replace_scalar(at(r, "/d"), "4")?,
        ])
    });
    assert_eq!(
        out,
        "a: new value # note\nb: 'they''re'\nc: \"tab\\there\"\nd: 4\n"
    );
}

#[test]
fn replace_scalar_quotes_a_plain_value_that_would_change_meaning() {
    let out = run("a: text\nb: [x, y]\n", |e, r| {
        Some(vec![
            e.replace_scalar(at(r, "/a"), "true")?,
            e.replace_scalar(at(r, "/b/0"), "p, q")?,
            e.replace_scalar(at(r, "/b/1"), "{{ z }}")?,
        ])
    });
    assert_eq!(out, "a: \"true\"\nb: [\"p, q\", \"{{ z }}\"]\n");
    assert_eq!(data(&out)["a"], "true");
}

#[test]
fn replace_scalar_keeps_a_literal_block() {
    let text = "a: |  # script\n    echo 1\n    echo 2\n\nb: 1\n";
    let out = run(text, |e, r| {
        one(e.replace_scalar(at(r, "/a"), "echo 3\n  indented\n"))
    });
    assert_eq!(out, "a: |  # script\n    echo 3\n      indented\n\nb: 1\n");
    assert_eq!(data(&out)["a"], "echo 3\n  indented\n");
}

#[test]
fn replace_scalar_block_chomping_follows_the_value() {
    let text = "a: >-\n  one\n  two\nb: 1\n";
    let out = run(text, |e, r| one(e.replace_scalar(at(r, "/a"), "three")));
    assert_eq!(out, "a: >-\n  three\nb: 1\n");
    let out = run(
        text,
        |e, r| one(e.replace_scalar(at(r, "/a"), "l1\nl2\n\n")),
    );
    assert_eq!(data(&out)["a"], "l1\nl2\n\n");
    assert_eq!(data(&out)["b"], 1);
}

#[test]
fn replace_scalar_crlf() {
    let text = "a: |\r\n  x\r\n  y\r\nb: 1\r\n";
    let out = run(text, |e, r| one(e.replace_scalar(at(r, "/a"), "p\nq\n")));
    assert_eq!(out, "a: |\r\n  p\r\n  q\r\nb: 1\r\n");
}

#[test]
fn rename_key_keeps_its_quotes() {
    let text = "\"maxAttempt\": 3\nb: {'old': 1}\nc: 2\n";
    let out = run(text, |e, r| {
        Some(vec![
            e.rename_key(r, "maxAttempt", "maxAttempts")?,
            e.rename_key(at(r, "/b"), "old", "new")?,
            e.rename_key(r, "c", "d")?,
        ])
    });
    assert_eq!(out, "\"maxAttempts\": 3\nb: {'new': 1}\nd: 2\n");
}

// ----- removing -----------------------------------------------------------------------------

#[test]
fn remove_entry_takes_its_own_comments() {
    let text =
        "a: 1\n# about b\nb: # why\n  x: 1\n  # inside b\n  y: |\n    text\n# about c\nc: 3\n";
    let out = run(text, |e, r| e.remove_entry(r, "b"));
    assert_eq!(out, "a: 1\n# about c\nc: 3\n");
}

#[test]
fn remove_last_entry_of_a_block_map_leaves_an_empty_map() {
    let text = "values: # keep\n  # gone\n  level: WARN\nnext: 1\n";
    let out = run(text, |e, r| e.remove_entry(at(r, "/values"), "level"));
    assert_eq!(out, "values: {} # keep\nnext: 1\n");
    assert_eq!(data(&out)["values"], serde_json::json!({}));
}

#[test]
fn remove_the_first_entry_of_a_list_item() {
    let text = "tasks:\n  - id: a # the id\n    # about type\n    type: T\n";
    let out = run(text, |e, r| e.remove_entry(at(r, "/tasks/0"), "id"));
    assert_eq!(out, "tasks:\n  - # about type\n    type: T\n");
    assert_eq!(data(&out)["tasks"][0], serde_json::json!({"type": "T"}));
    let out = run("l:\n  - only: 1 # c\n", |e, r| {
        e.remove_entry(at(r, "/l/0"), "only")
    });
    assert_eq!(out, "l:\n  - {} # c\n");
}

#[test]
fn remove_entry_in_flow_style() {
    let text = "m: {a: 1, 'b': 2, c: 3}\n";
    assert_eq!(
        run(text, |e, r| e.remove_entry(at(r, "/m"), "a")),
        "m: {'b': 2, c: 3}\n"
    );
    assert_eq!(
        run(text, |e, r| e.remove_entry(at(r, "/m"), "b")),
        "m: {a: 1, c: 3}\n"
    );
    assert_eq!(
        run(text, |e, r| e.remove_entry(at(r, "/m"), "c")),
        "m: {a: 1, 'b': 2}\n"
    );
    assert_eq!(
        run("m: { a: 1 }\n", |e, r| e.remove_entry(at(r, "/m"), "a")),
        "m: {}\n"
    );
}

#[test]
fn remove_entry_crlf_and_the_root_s_only_key() {
    let text = "a: 1\r\n# c\r\nb: 2\r\n";
    assert_eq!(run(text, |e, r| e.remove_entry(r, "b")), "a: 1\r\n");
    assert_eq!(run("a: 1\n", |e, r| e.remove_entry(r, "a")), "{}\n");
}

#[test]
fn remove_item_block_and_flow() {
    let text = "l:\n  # first\n  - a\n  - b: 1\n    c: 2\n    # in b\n  - c\n";
    assert_eq!(
        run(text, |e, r| e.remove_item(at(r, "/l"), 1)),
        "l:\n  # first\n  - a\n  - c\n"
    );
    assert_eq!(
        run(text, |e, r| e.remove_item(at(r, "/l"), 0)),
        "l:\n  - b: 1\n    c: 2\n    # in b\n  - c\n"
    );
    assert_eq!(
        run("l:\n- x\nm: 1\n", |e, r| e.remove_item(at(r, "/l"), 0)),
        "l: []\nm: 1\n"
    );
    assert_eq!(
        run("l: [x, y, z]\n", |e, r| e.remove_item(at(r, "/l"), 2)),
        "l: [x, y]\n"
    );
    assert_eq!(
        run("l: [x, y, z]\n", |e, r| e.remove_item(at(r, "/l"), 0)),
        "l: [y, z]\n"
    );
}

// ----- inserting ----------------------------------------------------------------------------

#[test]
fn insert_entry_block_positions() {
    let text = "t:\n  a: 1 # c\n  # about b\n  b:\n    x: 1\n    # in b\n";
    let m = |r: &Node| at(r, "/t").clone();
    assert_eq!(
        run(text, |e, r| one(e.insert_entry(
            &m(r),
            At::After("a"),
            "n",
            "v"
        ))),
        "t:\n  a: 1 # c\n  n: v\n  # about b\n  b:\n    x: 1\n    # in b\n"
    );
    assert_eq!(
        run(text, |e, r| one(e.insert_entry(
            &m(r),
            At::End,
            "n",
            "k: 1\nl: [2]"
        ))),
        "t:\n  a: 1 # c\n  # about b\n  b:\n    x: 1\n    # in b\n  n:\n    k: 1\n    l: [2]\n"
    );
    assert_eq!(
        run(text, |e, r| one(e.insert_entry(
            &m(r),
            At::Before("b"),
            "n",
            "|\n  line"
        ))),
        "t:\n  a: 1 # c\n  n: |\n    line\n  # about b\n  b:\n    x: 1\n    # in b\n"
    );
    assert_eq!(
        run(text, |e, r| one(e.insert_entry(
            &m(r),
            At::Start,
            "when",
            &scalar("{{ x }}")
        ))),
        "t:\n  when: \"{{ x }}\"\n  a: 1 # c\n  # about b\n  b:\n    x: 1\n    # in b\n"
    );
}

#[test]
fn insert_entry_into_a_list_item_flow_map_and_at_eof() {
    let out = run("- id: a\n  type: T", |e, r| {
        one(e.insert_entry(at(r, "/0"), At::Start, "x", "1"))
    });
    assert_eq!(out, "- x: 1\n  id: a\n  type: T");
    let out = run("- id: a\n  type: T", |e, r| {
        one(e.insert_entry(at(r, "/0"), At::End, "x", "1"))
    });
    assert_eq!(out, "- id: a\n  type: T\n  x: 1");
    let out = run("m: {a: 1}\nn: {}\n", |e, r| {
        Some(vec![
            e.insert_entry(at(r, "/m"), At::End, "b", "[1, 2]")?,
            e.insert_entry(at(r, "/n"), At::Start, "c", "3")?,
        ])
    });
    assert_eq!(out, "m: {a: 1, b: [1, 2]}\nn: {c: 3}\n");
    let doc = parse("m: {a: 1}\n");
    let e = Editor::new("m: {a: 1}\n", &doc);
    assert_eq!(
        e.insert_entry(
            doc.root.as_ref().unwrap().get("m").unwrap(),
            At::End,
            "b",
            "x: 1\ny: 2"
        ),
        None
    );
}

#[test]
fn insert_entry_crlf_and_item() {
    let text = "a:\r\n  b: 1\r\nl:\r\n  - x\r\n";
    let out = run(text, |e, r| {
        Some(vec![
            e.insert_entry(at(r, "/a"), At::End, "c", "p: 1\nq: 2")?,
            e.insert_item(at(r, "/l"), 9, "k: v\nw: z")?,
        ])
    });
    assert_eq!(
        out,
        "a:\r\n  b: 1\r\n  c:\r\n    p: 1\r\n    q: 2\r\nl:\r\n  - x\r\n  - k: v\r\n    w: z\r\n"
    );
}

// ----- replacing values ---------------------------------------------------------------------

#[test]
fn replace_value_between_inline_and_block() {
    let text = "a: 1 # one\nb: # two\n  x: 1\nc: |\n  t\nd: 4\n";
    let out = run(text, |e, r| {
        Some(vec![
            e.replace_value(r, "a", "p: 1\nq: 2")?,
            e.replace_value(r, "b", "[1]")?,
            e.replace_value(r, "c", "u")?,
        ])
    });
    assert_eq!(out, "a: # one\n  p: 1\n  q: 2\nb: [1] # two\nc: u\nd: 4\n");
    let out = run("l:\n  - a\n  - b\n", |e, r| {
        one(e.replace_item(at(r, "/l"), 1, "k: 1\nm: 2"))
    });
    assert_eq!(out, "l:\n  - a\n  - k: 1\n    m: 2\n");
}

// ----- moving -------------------------------------------------------------------------------

#[test]
fn nest_entries_under_a_new_key() {
    assert_eq!(
        run("a: 1\nb: 2\n", |e, r| e.nest_entries(r, &["a", "b"], "new")),
        "new:\n  a: 1\n  b: 2\n"
    );
    let text = "id: t\n# the image\ndocker:\n  image: python # pinned\nscript: |\n  print(1)\n\n  print(2)\nrunner: DOCKER\n";
    let out = run(text, |e, r| {
        e.nest_entries(r, &["docker", "script"], "taskRunner")
    });
    assert_eq!(
        out,
        "id: t\ntaskRunner:\n  # the image\n  docker:\n    image: python # pinned\n  script: |\n    print(1)\n\n    print(2)\nrunner: DOCKER\n"
    );
    assert_eq!(data(&out)["taskRunner"]["script"], "print(1)\n\nprint(2)\n");
}

#[test]
fn nest_entries_that_are_apart_and_in_a_list_item() {
    let text = "tasks:\n  - id: x\n    a: 1\n    type: T\n    b:\n      - 2\n";
    let out = run(text, |e, r| {
        e.nest_entries(at(r, "/tasks/0"), &["a", "b"], "n")
    });
    assert_eq!(
        out,
        "tasks:\n  - id: x\n    n:\n      a: 1\n      b:\n        - 2\n    type: T\n"
    );
    let out = run("- a: 1\n  b: 2\n  c: 3\n", |e, r| {
        e.nest_entries(at(r, "/0"), &["a", "b"], "n")
    });
    assert_eq!(out, "- n:\n    a: 1\n    b: 2\n  c: 3\n");
    assert_eq!(data(&out)[0]["n"]["b"], 2);
    let out = run("m: {a: 1, b: 2, c: 3}\n", |e, r| {
        e.nest_entries(at(r, "/m"), &["a", "c"], "n")
    });
    assert_eq!(out, "m: {n: {a: 1, c: 3}, b: 2}\n");
}

#[test]
fn move_entry_between_maps() {
    let text = "a:\n  x: 1\n  # about y\n  y:\n    z: |\n      t\nb:\n  w: 2\n";
    let out = run(text, |e, r| {
        e.move_entry(at(r, "/a"), "y", at(r, "/b"), At::End)
    });
    assert_eq!(
        out,
        "a:\n  x: 1\nb:\n  w: 2\n  # about y\n  y:\n    z: |\n      t\n"
    );
    let doc = parse(text);
    let e = Editor::new(text, &doc);
    let r = doc.root.as_ref().unwrap();
    assert_eq!(e.move_entry(r, "a", at(r, "/a"), At::End), None);
}

#[test]
fn fragments_and_pointers() {
    let text = "a:\n  - id: x\n    v: |\n      t\n  - k/~: 1\n";
    let doc = parse(text);
    let e = Editor::new(text, &doc);
    let r = doc.root.as_ref().unwrap();
    assert_eq!(
        e.value_fragment(at(r, "/a")).unwrap(),
        "- id: x\n  v: |\n    t\n- k/~: 1"
    );
    assert_eq!(e.value_fragment(at(r, "/a/0")).unwrap(), "id: x\nv: |\n  t");
    assert_eq!(e.value_fragment(at(r, "/a/0/v")).unwrap(), "|\n  t");
    assert_eq!(e.entry_fragment(at(r, "/a/0"), "v").unwrap(), "v: |\n  t");
    assert_eq!(e.pointer(at(r, "/a/1/k~1~0")).unwrap(), "/a/1/k~1~0");
    assert_eq!(
        e.pointer(&at(r, "/a/0").entry("v").unwrap().key).unwrap(),
        "/a/0/v"
    );
    assert_eq!(e.pointer(r).unwrap(), "");
    assert_eq!(e.pointer_in(at(r, "/a/0"), "when").unwrap(), "/a/0/when");
}

#[test]
fn replace_part_of_a_scalar_in_each_style() {
    let text = "a: x {{ inputs.a-b }}\nb: 'x {{ inputs.a-b }}'\nc: \"x {{ inputs.a-b }}\"\nd: |\n  x {{ inputs.a-b }}\n";
    let out = run(text, |e, r| {
        let part = |p: &str, new: &str| {
            let n = at(r, p);
            let i = n.scalar_text()?.find("inputs.a-b")?;
            e.replace_in_scalar(n, i..i + 10, new)
        };
        Some(vec![
            part("/a", "inputs['a-b']")?,
            part("/b", "inputs[\"a-b\"]")?,
            part("/c", "inputs['a-b']")?,
            part("/d", "inputs['a-b']")?,
        ])
    });
    assert_eq!(
        out,
        "a: x {{ inputs['a-b'] }}\nb: 'x {{ inputs[\"a-b\"] }}'\nc: \"x {{ inputs['a-b'] }}\"\nd: |\n  x {{ inputs['a-b'] }}\n"
    );
    let out = run("b: 'x y'\n", |e, r| {
        one(e.replace_in_scalar(at(r, "/b"), 2..3, "it's"))
    });
    assert_eq!(out, "b: 'x it''s'\n");
    let doc = parse("a: \"\\u0041b\"\n");
    let e = Editor::new("a: \"\\u0041b\"\n", &doc);
    assert_eq!(
        e.replace_in_scalar(doc.root.as_ref().unwrap().get("a").unwrap(), 0..1, "C"),
        None
    );
}

#[test]
fn comments() {
    let text = "a: 1 # one\n  # own\nb: 2\n";
    let doc = parse(text);
    let e = Editor::new(text, &doc);
    let eol = doc.comments[0].span.clone();
    let own = doc.comments[1].span.clone();
    let (out, _) = crate::fix::apply(
        text,
        &[
            vec![e.remove_comment(eol.clone()).unwrap()],
            vec![e.remove_comment(own).unwrap()],
        ],
    );
    assert_eq!(out, "a: 1\nb: 2\n");
    let edit = e
        .replace_in_comment(eol.start, eol.start + 2..eol.end, "uno")
        .unwrap();
    assert_eq!(
        crate::fix::apply(text, &[vec![edit]]).0,
        "a: 1 # uno\n  # own\nb: 2\n"
    );
    assert_eq!(e.replace_in_comment(eol.start, 0..1, "x"), None);
}

#[test]
fn moved_block_scalars_keep_spaces_that_are_content() {
    // A blank-looking line deeper than the indentation, and trailing spaces, are content.
    let text = "a:\n  s: |\n    x\n      \n    y  \n  t: 1\n";
    let out = run(text, |e, r| e.nest_entries(at(r, "/a"), &["s"], "n"));
    assert_eq!(data(&out)["a"]["n"]["s"], "x\n  \ny  \n");
    let out = run(text, |e, r| e.move_entry(at(r, "/a"), "s", r, At::End));
    assert_eq!(data(&out)["s"], "x\n  \ny  \n");
}

#[test]
fn an_empty_block_scalar_and_an_indentless_list() {
    let text = "d: |\n\nn:\n- x\n- y\nz: 1\n";
    assert_eq!(
        run(text, |e, r| e.remove_entry(r, "d")),
        "\nn:\n- x\n- y\nz: 1\n"
    );
    let out = run(text, |e, r| {
        one(e.insert_entry(r, At::After("d"), "k", "1"))
    });
    assert_eq!(data(&out)["k"], 1);
    assert_eq!(data(&out)["n"], serde_json::json!(["x", "y"]));
    let doc = parse(text);
    let e = Editor::new(text, &doc);
    let n = doc.root.as_ref().unwrap().get("n").unwrap();
    assert_eq!(e.value_fragment(n).unwrap(), "- x\n- y");
}

// ----- rebuilding entries in place ------------------------------------------------------------

#[test]
fn remove_the_file_s_last_entry_takes_the_empty_lines_before_it() {
    let text = "a: 1\n\n\n# about b\nb:\n  - x\n";
    assert_eq!(run(text, |e, r| e.remove_entry(r, "b")), "a: 1\n");
    let crlf = "a: 1\r\n\r\nb: 2\r\n";
    assert_eq!(run(crlf, |e, r| e.remove_entry(r, "b")), "a: 1\r\n");
    // Not the last entry: the empty lines stay between the others.
    let text = "a: 1\n\nb: 2\nc: 3\n";
    assert_eq!(run(text, |e, r| e.remove_entry(r, "b")), "a: 1\n\nc: 3\n");
    // Empty lines after a `|+` block scalar are its content.
    let text = "a:\n  s: |+\n    x\n\nb: 2\n";
    let out = run(text, |e, r| e.remove_entry(r, "b"));
    assert_eq!(out, "a:\n  s: |+\n    x\n\n");
    assert_eq!(data(&out)["a"]["s"], "x\n\n");
}

#[test]
fn entry_text_is_the_entry_alone() {
    let text = "m:\n  # above\n  k: |  # header\n    one\n    two\n  # below, not its own\n  f: {a: 1, b: [x]} # eol\n";
    let doc = parse(text);
    let e = Editor::new(text, &doc);
    let m = doc.root.as_ref().unwrap().get("m").unwrap();
    assert_eq!(
        e.entry_text(m, "k").unwrap(),
        "k: |  # header\n  one\n  two"
    );
    assert_eq!(e.entry_text(m, "f").unwrap(), "f: {a: 1, b: [x]} # eol");
    let f = m.get("f").unwrap();
    assert_eq!(e.entry_text(f, "b").unwrap(), "b: [x]");
    assert_eq!(e.entry_text(m, "missing"), None);
}

#[test]
fn replace_entry_keeps_the_comments_around_it() {
    let text = "t:\n  # about c\n  c: 1 # keep me\n  d: 2\n";
    let out = run(text, |e, r| {
        one(e.replace_entry(at(r, "/t"), "c", "n:\n  x: 1\ny: 2"))
    });
    assert_eq!(
        out,
        "t:\n  # about c\n  n: # keep me\n    x: 1\n  y: 2\n  d: 2\n"
    );
    // A comment of the new first line wins; a multi-line entry's comments go with it.
    let out = run(text, |e, r| {
        one(e.replace_entry(at(r, "/t"), "c", "n: 1 # new"))
    });
    assert_eq!(out, "t:\n  # about c\n  n: 1 # new\n  d: 2\n");
    let text = "- a:\n    - x # inner\n  b: 1\n";
    let out = run(text, |e, r| one(e.replace_entry(at(r, "/0"), "a", "z: 0")));
    assert_eq!(out, "- z: 0\n  b: 1\n");
}

#[test]
fn replace_entry_flow_and_crlf() {
    let out = run("m: {a: 1, b: 2}\n", |e, r| {
        one(e.replace_entry(at(r, "/m"), "a", "c: [3]"))
    });
    assert_eq!(out, "m: {c: [3], b: 2}\n");
    let doc = parse("m: {a: 1}\n");
    let e = Editor::new("m: {a: 1}\n", &doc);
    let m = doc.root.as_ref().unwrap().get("m").unwrap();
    assert_eq!(e.replace_entry(m, "a", "b:\n  c: 1"), None);
    let out = run("a: 1\r\nb: 2\r\n", |e, r| {
        one(e.replace_entry(r, "a", "n:\n  x: 1"))
    });
    assert_eq!(out, "n:\r\n  x: 1\r\nb: 2\r\n");
}

#[test]
fn entry_fragments_built_from_values() {
    assert_eq!(
        entry("auth", "type: BASIC\nusername: u # who").unwrap(),
        "auth:\n  type: BASIC\n  username: u # who"
    );
    assert_eq!(entry("when", "\"{{ x }}\"").unwrap(), "when: \"{{ x }}\"");
    assert_eq!(entry("k: v", "1").unwrap(), "\"k: v\": 1");
    assert_eq!(entry("k", "[unclosed"), None);
}
