//! `--fix`, `--diff`, `--show-fixes`, stdin fixes, and what every write (`--fix`,
//! `--output-file`, `--write-baseline`) keeps of the file it writes.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

/// One finding with a safe fix (an old type name), nothing else.
const FIXABLE: &str = "id: f\nnamespace: company.team\ntasks:\n  # the greeting\n  - id: a\n    type: io.kestra.core.tasks.log.Log\n    message: hi\n";

fn fixed() -> String {
    FIXABLE.replace("core.tasks.log.Log", "plugin.core.log.Log")
}

fn check_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(dir)
        .args(["check", "--no-cache"]);
    cmd
}

fn flow_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("f.yml"), FIXABLE).unwrap();
    dir
}

#[test]
fn diff_prints_what_fix_would_change_and_writes_nothing() {
    let dir = flow_dir();
    check_in(dir.path())
        .args(["--diff", "f.yml"])
        .assert()
        .code(1)
        .stdout(
            "--- f.yml\n+++ f.yml\n@@ -3,5 +3,5 @@\n tasks:\n   # the greeting\n   - id: a\n\
             -    type: io.kestra.core.tasks.log.Log\n+    type: io.kestra.plugin.core.log.Log\n     message: hi\n",
        )
        .stderr("Would fix 1 finding.\n");
    assert_eq!(
        fs::read_to_string(dir.path().join("f.yml")).unwrap(),
        FIXABLE
    );
    fs::write(dir.path().join("f.yml"), fixed()).unwrap();
    check_in(dir.path())
        .args(["--diff", "f.yml"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("No fixes available.\n");
}

#[test]
fn fixable_findings_are_marked_in_full_and_concise() {
    let dir = flow_dir();
    fs::write(
        dir.path().join("f.yml"),
        format!(
            "{FIXABLE}  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: again\n"
        ),
    )
    .unwrap();
    check_in(dir.path())
        .args(["--output-format", "concise", "f.yml"])
        .assert()
        .code(1)
        .stdout(contains(
            "f.yml:6:11: error[D001]: [*] Could not resolve type id",
        ))
        .stdout(contains("error[K102]: duplicate task id `a`"));
    check_in(dir.path())
        .args(["--output-format", "full", "--color", "never", "f.yml"])
        .assert()
        .code(1)
        .stdout(contains("error[D001]: [*] Could not resolve type id"))
        .stdout(contains("error[K102]: duplicate task id `a`"));
}

#[test]
fn show_fixes_lists_each_file_and_rule() {
    let dir = flow_dir();
    check_in(dir.path())
        .args(["--fix", "--show-fixes", "f.yml"])
        .assert()
        .code(0)
        .stdout(contains(
            "Fixed 1 finding:\n- f.yml:\n    1 × D001 (deprecated-type-alias)\n",
        ));
    assert_eq!(
        fs::read_to_string(dir.path().join("f.yml")).unwrap(),
        fixed()
    );
    // --quiet drops the summary, not the list asked for.
    fs::write(dir.path().join("f.yml"), FIXABLE).unwrap();
    check_in(dir.path())
        .args(["--fix", "--show-fixes", "--quiet", "f.yml"])
        .assert()
        .code(0)
        .stdout("")
        .stderr("Fixed 1 finding:\n- f.yml:\n    1 × D001 (deprecated-type-alias)\n");
}

#[test]
fn fix_on_stdin_prints_the_fixed_text_and_reports_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let bad = format!(
        "{FIXABLE}  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: again\n"
    );
    let good = bad.replacen("core.tasks.log.Log", "plugin.core.log.Log", 1);
    check_in(dir.path())
        .args([
            "--fix",
            "--output-format",
            "concise",
            "--stdin-filename",
            "f.yml",
            "-",
        ])
        .write_stdin(bad)
        .assert()
        .code(1)
        .stdout(good)
        .stderr(contains("error[K102]"))
        .stderr(contains("D001").not());
    assert!(!dir.path().join("f.yml").exists());
    // Nothing to fix: the input comes back byte for byte.
    check_in(dir.path())
        .args(["--fix", "--stdin-filename", "f.yml", "-"])
        .write_stdin(fixed())
        .assert()
        .code(0)
        .stdout(fixed());
    check_in(dir.path())
        .args(["--diff", "--stdin-filename", "f.yml", "-"])
        .write_stdin(FIXABLE)
        .assert()
        .code(1)
        .stdout(contains("+    type: io.kestra.plugin.core.log.Log\n"));
}

#[test]
fn fix_skips_a_file_changed_since_it_was_read() {
    // The same file under two names: both are read first, so when the second is fixed the
    // first's fix already changed it on disk, and writing would undo that edit.
    let dir = flow_dir();
    fs::hard_link(dir.path().join("f.yml"), dir.path().join("g.yml")).unwrap();
    check_in(dir.path())
        .args(["--fix", "--output-format", "concise", "f.yml", "g.yml"])
        .assert()
        .code(2)
        .stderr(contains(
            "g.yml: cannot write fixes: the file changed on disk since it was read",
        ))
        .stdout(contains("g.yml:6:11: error[D001]"));
    assert_eq!(
        fs::read_to_string(dir.path().join("g.yml")).unwrap(),
        fixed()
    );
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().mode() & 0o7777
    }

    #[test]
    fn fix_keeps_mode_and_hard_links() {
        for wanted in [0o600, 0o640, 0o755] {
            let dir = flow_dir();
            let path = dir.path().join("f.yml");
            fs::set_permissions(&path, fs::Permissions::from_mode(wanted)).unwrap();
            check_in(dir.path())
                .args(["--fix", "f.yml"])
                .assert()
                .code(0);
            assert_eq!(fs::read_to_string(&path).unwrap(), fixed());
            assert_eq!(mode(&path), wanted);
        }
        let dir = flow_dir();
        let other = dir.path().join("other-name.yml.bak");
        fs::hard_link(dir.path().join("f.yml"), &other).unwrap();
        check_in(dir.path())
            .args(["--fix", "f.yml"])
            .assert()
            .code(0);
        assert_eq!(fs::read_to_string(&other).unwrap(), fixed());
        assert_eq!(fs::metadata(&other).unwrap().nlink(), 2);
    }

    #[test]
    fn fix_keeps_the_owner() {
        let dir = flow_dir();
        let path = dir.path().join("f.yml");
        if fs::metadata(&path).unwrap().uid() != 0 {
            // Only root can give a file to someone else: nothing to test.
            return;
        }
        std::os::unix::fs::chown(&path, Some(4321), Some(4322)).unwrap();
        check_in(dir.path())
            .args(["--fix", "f.yml"])
            .assert()
            .code(0);
        let meta = fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (4321, 4322));
        assert_eq!(fs::read_to_string(&path).unwrap(), fixed());
    }

    #[test]
    fn fix_writes_through_a_symlink() {
        let dir = flow_dir();
        let link = dir.path().join("link.yml");
        std::os::unix::fs::symlink("f.yml", &link).unwrap();
        check_in(dir.path())
            .args(["--fix", "link.yml"])
            .assert()
            .code(0);
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            fs::read_to_string(dir.path().join("f.yml")).unwrap(),
            fixed()
        );
    }

    #[test]
    fn fix_leaves_a_read_only_file_and_still_reports_it() {
        let dir = flow_dir();
        let path = dir.path().join("f.yml");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        check_in(dir.path())
            .args(["--fix", "--output-format", "concise", "f.yml"])
            .assert()
            .code(2)
            .stderr(contains("f.yml: cannot write fixes: the file is read-only"))
            .stdout(contains("f.yml:6:11: error[D001]"))
            .stdout(contains(
                "The fixes of 1 file were not written: see the errors above (exit 2).",
            ))
            .stdout(contains("could not be linted").not());
        assert_eq!(fs::read_to_string(&path).unwrap(), FIXABLE);
        assert_eq!(mode(&path), 0o444);
    }

    #[test]
    fn output_file_writes_through_a_symlink_and_into_a_fifo() {
        let dir = flow_dir();
        fs::write(dir.path().join("real.json"), "old").unwrap();
        let link = dir.path().join("report.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        check_in(dir.path())
            .args(["--output-format", "json", "-o", "report.json", "f.yml"])
            .assert()
            .code(1);
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let real = fs::read_to_string(dir.path().join("real.json")).unwrap();
        assert!(real.contains("\"D001\""), "{real}");

        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        check_in(dir.path())
            .args(["--output-format", "json", "-o", "pipe", "f.yml"])
            .assert()
            .code(1);
        // Checked before joining: had the FIFO been replaced, the reader would wait forever.
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(
            &fs::symlink_metadata(&fifo).unwrap().file_type()
        ));
        assert!(reader.join().unwrap().contains("\"D001\""));
    }

    #[test]
    fn write_baseline_keeps_links_and_modes_and_refuses_read_only() {
        let dir = flow_dir();
        fs::write(dir.path().join("real.json"), "{}").unwrap();
        fs::set_permissions(
            dir.path().join("real.json"),
            fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        std::os::unix::fs::symlink("real.json", dir.path().join("baseline.json")).unwrap();
        check_in(dir.path())
            .args(["--write-baseline", "baseline.json", "f.yml"])
            .assert()
            .code(0);
        let link = dir.path().join("baseline.json");
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(fs::read_to_string(dir.path().join("real.json"))
            .unwrap()
            .contains("D001"));
        assert_eq!(mode(&dir.path().join("real.json")), 0o600);
        fs::set_permissions(
            dir.path().join("real.json"),
            fs::Permissions::from_mode(0o400),
        )
        .unwrap();
        fs::write(dir.path().join("g.yml"), FIXABLE.replace("id: f", "id: g")).unwrap();
        let before = fs::read_to_string(dir.path().join("real.json")).unwrap();
        check_in(dir.path())
            .args(["--write-baseline", "baseline.json", "f.yml", "g.yml"])
            .assert()
            .code(2)
            .stderr(contains("read-only"));
        assert_eq!(
            fs::read_to_string(dir.path().join("real.json")).unwrap(),
            before
        );
    }
}
