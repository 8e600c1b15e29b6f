//! The cross-file rules (K701 duplicate flow, K702 unknown subflow, K703 subflow cycle) as a
//! user runs them: several files linted together, findings on the files that were passed.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn check(dir: &Path, args: &[&str]) -> (i32, Vec<String>) {
    let out = Command::cargo_bin("kestra-lint")
        .unwrap()
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(dir)
        .args(["check", "--isolated", "--output-format", "concise", "-q"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (
        out.status.code().unwrap_or(-1),
        stdout.lines().map(str::to_string).collect(),
    )
}

fn flow(id: &str, calls: &str) -> String {
    format!(
        "id: {id}\nnamespace: company.team\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: company.team\n    flowId: {calls}\n"
    )
}

fn plain(id: &str) -> String {
    format!(
        "id: {id}\nnamespace: company.team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n"
    )
}

#[test]
fn findings_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "flows/a.yml", &flow("a", "b"));
    write(d, "flows/b.yml", &flow("b", "a"));
    write(d, "flows/c.yml", &flow("c", "ingset"));
    write(d, "flows/copy_of_a.yml", &flow("a", "c"));
    let (code, lines) = check(d, &["flows"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "flows/a.yml:7:13: warning[K703]: subflow call cycle: `company.team.a` → `company.team.b` → `company.team.a`",
            "flows/b.yml:7:13: warning[K703]: subflow call cycle: `company.team.b` → `company.team.a` → `company.team.b`",
            "flows/c.yml:7:13: warning[K702]: subflow `company.team.ingset` is not among the 3 linted flows of namespace `company.team`",
            "flows/copy_of_a.yml:1:5: error[K701]: flow `company.team.a` is also defined in flows/a.yml",
        ]
    );
}

#[test]
fn only_the_files_passed_get_findings_and_one_file_has_no_context() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.yml", &plain("a"));
    write(d, "b.yml", &plain("a"));
    let (code, lines) = check(d, &["a.yml"]);
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
    let (_, lines) = check(d, &["b.yml", "a.yml"]);
    assert_eq!(
        lines,
        ["b.yml:1:5: error[K701]: flow `company.team.a` is also defined in a.yml"]
    );
}

#[test]
fn cross_file_findings_follow_suppressions_and_selection() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.yml", &plain("a"));
    write(
        d,
        "b.yml",
        &format!(
            "# kestra-lint: ignore-file[K701] kept on purpose\n{}",
            plain("a")
        ),
    );
    // Suppressed, and the suppression is not reported as unused (L001).
    let (code, lines) = check(d, &["a.yml", "b.yml"]);
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
    write(d, "b.yml", &plain("a"));
    let (code, lines) = check(d, &["--ignore", "K701", "a.yml", "b.yml"]);
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
    let (code, lines) = check(d, &["--extend-select", "K7", "a.yml", "b.yml"]);
    assert_eq!((code, lines.len()), (1, 1), "{lines:?}");
}

fn git_init(dir: &Path) {
    let ok = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git init");
}

#[test]
fn the_repository_index_judges_named_files_against_the_whole_repository() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_init(d);
    write(d, "flows/ingest.yml", &plain("ingest"));
    write(d, "flows/child.yml", &plain("child"));
    write(d, "flows/parent.yml", &flow("parent", "child"));
    write(d, "flows/sibling.yml", &flow("sibling", "ingest"));
    write(d, "flows/typo.yml", &flow("typo", "chlid"));
    // A new copy is a duplicate wherever it sorts, even when it alone is passed (pre-commit).
    write(d, "flows/0_new.yml", &plain("ingest"));
    write(d, "flows/zz_new.yml", &plain("ingest"));
    let (code, lines) = check(d, &["flows/zz_new.yml"]);
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        ["flows/zz_new.yml:1:5: error[K701]: flow `company.team.ingest` is also defined in flows/0_new.yml"]
    );
    let (_, lines) = check(d, &["flows/0_new.yml"]);
    assert_eq!(
        lines,
        ["flows/0_new.yml:1:5: error[K701]: flow `company.team.ingest` is also defined in flows/ingest.yml"]
    );
    std::fs::remove_file(d.join("flows/zz_new.yml")).unwrap();
    std::fs::remove_file(d.join("flows/0_new.yml")).unwrap();

    // Two files passed: the target exists in the repository, so no K702.
    let (code, lines) = check(d, &["flows/parent.yml", "flows/sibling.yml"]);
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
    let (_, lines) = check(d, &["flows/typo.yml"]);
    assert_eq!(
        lines,
        ["flows/typo.yml:7:13: warning[K702]: subflow `company.team.chlid` is not among the 5 flows of namespace `company.team` in the repository"]
    );
    // Without the index, only the named files count.
    let (_, lines) = check(
        d,
        &["--no-repo-index", "flows/parent.yml", "flows/sibling.yml"],
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines.iter().all(|l| l.contains("warning[K702]")),
        "{lines:?}"
    );

    // The cache is refreshed when a file changes, and Git never sees it.
    write(d, "flows/child.yml", &plain("renamed_child"));
    let (_, lines) = check(d, &["flows/parent.yml"]);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("did you mean") || lines[0].contains("K702"));
    assert!(d.join(".kestra-lint-cache/.gitignore").is_file());
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(d)
        .output()
        .unwrap();
    let status = String::from_utf8(status.stdout).unwrap();
    assert!(!status.contains(".kestra-lint-cache"), "{status}");
    // Linting every file keeps the cache of the files it did not need to index.
    check(d, &["."]);
    let cache = std::fs::read_to_string(d.join(".kestra-lint-cache/flow-index.json")).unwrap();
    assert!(cache.contains("flows/ingest.yml"), "{cache}");
}

#[test]
fn a_file_named_twice_is_linted_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.yaml", &plain("a"));
    for args in [&[".", "a.yaml"][..], &["a.yaml", "./a.yaml"][..]] {
        let out = Command::cargo_bin("kestra-lint")
            .unwrap()
            .current_dir(d)
            .args(["check", "--isolated", "--output-format", "concise"])
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stdout}");
        assert!(stdout.contains("(1 flow checked in"), "{args:?}: {stdout}");
    }
}

#[cfg(unix)]
#[test]
fn a_linked_file_named_alone_belongs_to_the_project_it_points_into() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    git_init(&repo);
    write(&repo, "flows/child.yml", &plain("child"));
    write(&repo, "flows/parent.yml", &flow("parent", "chlid"));
    fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(
        "../repo/flows/parent.yml",
        dir.path().join("elsewhere/link.yml"),
    )
    .unwrap();
    // Judged against the repository of its target (2 flows), not alone in its own folder.
    let expected = "elsewhere/link.yml:7:13: warning[K702]: subflow `company.team.chlid` is not among the 2 flows of namespace `company.team` in the repository";
    let (_, lines) = check(dir.path(), &["elsewhere/link.yml"]);
    assert_eq!(lines, [expected]);
    // The same when it is one of several named paths.
    write(dir.path(), "elsewhere/other.yml", &plain("other"));
    let (_, lines) = check(dir.path(), &["elsewhere/link.yml", "elsewhere/other.yml"]);
    assert!(
        lines.iter().any(|l| l.contains("in the repository")),
        "{lines:?}"
    );
}
