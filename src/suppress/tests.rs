use crate::rules::test_support::{lint, lint_with, settings};

/// Codes and lines of every finding.
fn found(yaml: &str) -> Vec<(&'static str, usize)> {
    let (source, diags) = lint(yaml);
    diags
        .iter()
        .map(|d| (d.code, source.line_col(d.primary.span.start).line))
        .collect()
}

const HEAD: &str = "id: f\nnamespace: n\ntasks:\n";
const LOG: &str = "    type: io.kestra.plugin.core.log.Log\n";

#[test]
fn end_of_line_suppresses_that_line_only() {
    let yaml = format!(
        "{HEAD}  - id: a\n{LOG}    message: x\n  - id: a # kestra-lint: ignore[K102] known\n{LOG}    message: y\n  - id: a\n{LOG}    message: z\n"
    );
    assert_eq!(found(&yaml), [("K102", 10)]);
}

#[test]
fn own_line_covers_the_next_node_the_whole_task() {
    let yaml = format!(
        "{HEAD}  - id: a\n{LOG}    message: x\n\n  # kestra-lint: ignore[K1, Y003, S] legacy task\n  # (kept for the old dashboard)\n  - id: a\n{LOG}    message: &m y\n    nested:\n      - id: bad.id\n        type: io.kestra.plugin.core.log.Log\n  - id: b c\n{LOG}    message: z\n"
    );
    // K102 (line 10), Y003 (line 12) and K107 (line 14) are inside the task; K107 on the
    // task after it (line 16) is not.
    assert_eq!(found(&yaml), [("K107", 16)]);
}

#[test]
fn own_line_above_a_key_covers_that_entry() {
    let yaml = "id: f\n# kestra-lint: ignore[K106]\nnamespace: Bad\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n";
    assert_eq!(found(yaml), []);
    let yaml = "# kestra-lint: ignore[K106]\nid: f\nnamespace: Bad\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: x\n";
    // Covers `id: f` only, so K106 stays and the suppression is unused.
    assert_eq!(found(yaml), [("L001", 1), ("K106", 3)]);
}

#[test]
fn file_wide_suppression() {
    let yaml = format!(
        "# kestra-lint: ignore-file[K102] generated file\n{HEAD}  - id: a\n{LOG}    message: x\n  - id: a\n{LOG}    message: y\n"
    );
    assert_eq!(found(&yaml), []);
}

#[test]
fn hashes_inside_scalars_are_not_comments() {
    let yaml = format!(
        "{HEAD}  - id: a\n{LOG}    message: \"# kestra-lint: ignore[K102]\"\n  - id: a\n{LOG}    message: |\n      # kestra-lint: ignore-file[K102]\n"
    );
    assert_eq!(found(&yaml), [("K102", 7)]);
}

#[test]
fn suppressing_a_rule_that_is_not_enabled_is_unused() {
    let yaml = format!("{HEAD}  - id: a # kestra-lint: ignore[B005]\n{LOG}    message: x\n");
    let (_, diags) = lint(&yaml);
    let l001: Vec<_> = diags.iter().filter(|d| d.code == "L001").collect();
    assert_eq!(l001.len(), 1);
    assert!(l001[0]
        .help
        .as_deref()
        .unwrap()
        .contains("not enabled here: `B005`"));
}

#[test]
fn l_findings_can_be_turned_off_by_config_or_file_wide() {
    let yaml = format!("{HEAD}  - id: a # kestra-lint: ignore[K102]\n{LOG}    message: x\n");
    let (_, diags) = lint_with(&settings("[lint]\nignore = [\"L\"]\n"), "a.yml", &yaml);
    assert!(diags.is_empty());
    let yaml = format!("# kestra-lint: ignore-file[L001]\n{yaml}");
    assert_eq!(found(&yaml), []);
}

#[test]
fn severities_from_the_config_are_applied_after_suppression() {
    let yaml = format!("{HEAD}  - id: a\n{LOG}    message: x\n  - id: a\n{LOG}    message: y\n");
    let (_, diags) = lint_with(
        &settings("[lint.severity]\nK102 = \"info\"\n"),
        "a.yml",
        &yaml,
    );
    assert_eq!(diags[0].severity, crate::diagnostic::Severity::Info);
    let (_, diags) = lint_with(&settings("[lint.severity]\nK1 = \"off\"\n"), "a.yml", &yaml);
    assert!(diags.is_empty());
}

#[test]
fn unused_own_line_suppression_fix_removes_the_line() {
    let yaml =
        format!("{HEAD}  # kestra-lint: ignore[K102] stale\n  - id: a\n{LOG}    message: x\n");
    let (source, diags) = lint(&yaml);
    let fix = diags[0].fix.as_ref().unwrap();
    let edit = &fix.edits[0];
    let mut fixed = source.text.clone();
    fixed.replace_range(edit.span.clone(), &edit.content);
    assert_eq!(fixed, format!("{HEAD}  - id: a\n{LOG}    message: x\n"));
}
