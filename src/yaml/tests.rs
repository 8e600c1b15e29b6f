use super::*;

fn slice<'a>(text: &'a str, node: &Node) -> &'a str {
    &text[node.span.clone()]
}

#[test]
fn spans_of_keys_values_and_items() {
    let text = "id: hello\nnamespace: company.team\ntasks:\n  - id: t1\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
    let doc = parse(text);
    assert!(doc.syntax_error.is_none());
    let root = doc.root.unwrap();
    let (key, value) = root.pointer_entry("/namespace").unwrap();
    assert_eq!(slice(text, key.unwrap()), "namespace");
    assert_eq!(slice(text, value), "company.team");
    let task = root.pointer("/tasks/0").unwrap();
    assert_eq!(
        slice(text, task),
        "id: t1\n    type: io.kestra.plugin.core.log.Log\n    message: hi"
    );
    assert_eq!(slice(text, root.pointer("/tasks/0/message").unwrap()), "hi");
}

#[test]
fn scalar_styles_are_kept() {
    let text = "a: plain\nb: 'single'\nc: \"double\"\nd: |\n  lit\ne: >\n  fold\n";
    let root = parse(text).root.unwrap();
    let style = |k: &str| root.get(k).unwrap().as_scalar().unwrap().style;
    assert_eq!(style("a"), ScalarStyle::Plain);
    assert_eq!(style("b"), ScalarStyle::SingleQuoted);
    assert_eq!(style("c"), ScalarStyle::DoubleQuoted);
    assert_eq!(style("d"), ScalarStyle::Literal);
    assert_eq!(style("e"), ScalarStyle::Folded);
    assert_eq!(root.get_str("d"), Some("lit\n"));
    assert_eq!(slice(text, root.get("b").unwrap()), "'single'");
}

#[test]
fn plain_scalars_resolve_with_the_core_schema() {
    let root = parse("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: yes\ng: 0x1F\nh: 1e3\n")
        .root
        .unwrap();
    let v = |k: &str| root.get(k).unwrap().as_scalar().unwrap().value;
    assert_eq!(v("a"), ScalarValue::Int(1));
    assert_eq!(v("b"), ScalarValue::Float(1.5));
    assert_eq!(v("c"), ScalarValue::Bool(true));
    assert_eq!(v("d"), ScalarValue::Null);
    assert_eq!(v("e"), ScalarValue::Str);
    assert_eq!(v("f"), ScalarValue::Str);
    assert_eq!(v("g"), ScalarValue::Int(31));
    assert_eq!(v("h"), ScalarValue::Float(1000.0));
}

#[test]
fn non_ascii_crlf_and_bom_spans() {
    let text = "\u{feff}id: é\r\nnamespace: ünï\r\n";
    let root = parse(text).root.unwrap();
    assert_eq!(slice(text, root.get("id").unwrap()), "é");
    assert_eq!(slice(text, root.get("namespace").unwrap()), "ünï");
}

#[test]
fn every_duplicate_key_is_reported_with_both_spans() {
    let text = "a: 1\nb: 2\na: 3\na: 4\n";
    let doc = parse(text);
    assert_eq!(doc.duplicate_keys.len(), 2);
    let d = &doc.duplicate_keys[1];
    assert_eq!(d.key, "a");
    assert_eq!(d.first, 0..1);
    assert_eq!(d.again, 15..16);
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "base: &b\n  x: 1\nother:\n  <<: *b\n  y: *b\n";
    let doc = parse(text);
    assert_eq!(doc.anchors.len(), 1);
    assert_eq!(doc.anchors[0].0, "b");
    assert_eq!(&text[doc.anchors[0].1.clone()], "&b");
    assert_eq!(doc.aliases.len(), 2);
    assert_eq!(&text[doc.aliases[1].1.clone()], "*b");
    assert_eq!(doc.merge_keys.len(), 1);
    let root = doc.root.unwrap();
    assert_eq!(
        root.pointer("/other/y").unwrap().to_json(),
        serde_json::json!("b")
    );
}

#[test]
fn syntax_error_has_a_position() {
    let text = "id: a\n  bad: [1, 2\n";
    let doc = parse(text);
    let err = doc.syntax_error.unwrap();
    assert!(err.offset <= text.len());
    assert!(doc.root.is_none());
}

#[test]
fn second_document_is_recorded() {
    let doc = parse("a: 1\n---\nb: 2\n");
    assert_eq!(doc.extra_documents.len(), 1);
    assert!(doc.root.unwrap().get("a").is_some());
}

#[test]
fn comments_are_collected() {
    let doc = parse("# top\na: 1 # end\nb: '# not a comment'\n");
    assert_eq!(doc.comments.len(), 2);
    assert_eq!(doc.comments[0].placement, CommentPlacement::OwnLine);
    assert_eq!(doc.comments[1].placement, CommentPlacement::EndOfLine);
    assert_eq!(doc.comments[1].text, " end");
}

#[test]
fn empty_and_comment_only_files_have_no_root() {
    assert!(parse("").root.is_none());
    assert!(parse("# just a comment\n").root.is_none());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    let doc = parse(&text);
    assert!(doc.syntax_error.is_some());
}

#[test]
fn alias_bomb_costs_nothing() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let doc = parse(&text);
    assert!(doc.syntax_error.is_none());
    assert_eq!(doc.aliases.len(), 72);
}

#[test]
fn json_pointer_escaping() {
    let root = parse("\"a/b\": 1\n\"c~d\": 2\n").root.unwrap();
    assert!(root.pointer("/a~1b").is_some());
    assert!(root.pointer("/c~0d").is_some());
}
