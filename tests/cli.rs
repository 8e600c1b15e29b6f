//! The CLI as a user runs it: exit codes, discovery, determinism, colours and bad input.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const GOOD: &str = "id: hello\nnamespace: company.team\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
const BAD: &str = "id: hello\nnamespace: company.team\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: again\n";

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn check_in(dir: &Path) -> Command {
    let mut cmd = bin();
    cmd.current_dir(dir).arg("check");
    cmd
}

#[test]
fn clean_flow_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "flows/good.yml", GOOD);
    check_in(dir.path())
        .assert()
        .code(0)
        .stdout(contains("All checks passed (1 flow checked in"));
}

#[test]
fn error_exits_one_with_concise_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "flows/bad.yml", BAD);
    check_in(dir.path())
        .args(["--output-format", "concise", "flows"])
        .assert()
        .code(1)
        .stdout(contains(
            "flows/bad.yml:7:9: error[K102]: duplicate task id `say`\n",
        ))
        .stdout(contains("Found 1 error in 1 file (1 flow checked in"));
}

#[test]
fn missing_path_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    check_in(dir.path())
        .arg("nope.yml")
        .assert()
        .code(2)
        .stderr(contains("nope.yml: no such file or directory"))
        .stdout(contains("All checks passed").not())
        .stdout(contains("Some paths could not be linted"));
}

#[test]
fn unknown_flag_and_format_exit_two() {
    bin().args(["check", "--bogus"]).assert().code(2);
    bin()
        .args(["check", "--output-format", "xml"])
        .assert()
        .code(2)
        .stderr(contains(
            "[possible values: full, concise, json, json-lines, sarif, github, gitlab, junit]",
        ));
}

#[test]
fn boolean_flags_may_repeat() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yml", GOOD);
    check_in(dir.path())
        .args(["-q", "-q", "--force-exclude", "--force-exclude", "a.yml"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn discovery_honours_gitignore_hidden_and_excludes_and_skips_non_flows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, ".gitignore", "ignored/\n");
    write(d, "ignored/bad.yml", BAD);
    write(d, ".hidden/bad.yml", BAD);
    write(d, "node_modules/pkg/bad.yaml", BAD);
    write(d, "other/skip-me.yml", BAD);
    write(d, "ci/workflow.yml", "name: ci\non: push\njobs: {}\n");
    write(d, "charts/templates/dep.yaml", "{{ .Values.x }}: [\n");
    write(d, "flows/good.yaml", GOOD);
    write(d, "flows/readme.txt", BAD);
    check_in(d)
        .args(["--extend-exclude", "other", "--verbose"])
        .assert()
        .code(0)
        .stderr(contains("checked: flows/good.yaml"))
        .stderr(contains("skipped (not a flow): ci/workflow.yml"))
        .stdout(contains("1 flow checked"));
}

#[test]
fn explicit_files_are_linted_unless_force_excluded() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "other/bad.yml", BAD);
    check_in(dir.path())
        .args(["--extend-exclude", "other", "other/bad.yml"])
        .assert()
        .code(1);
    check_in(dir.path())
        .args([
            "--extend-exclude",
            "other",
            "--force-exclude",
            "other/bad.yml",
        ])
        .assert()
        .code(0);
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        write(
            dir.path(),
            &format!("flows/f{i:02}.yml"),
            if i % 3 == 0 { BAD } else { GOOD },
        );
    }
    let run = |threads: &str| {
        check_in(dir.path())
            // The 40 files are copies of two flows: leave the cross-file K701 out.
            .args(["-q", "--threads", threads, "--output-format", "concise"])
            .args(["--ignore", "K701"])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
    assert_eq!(String::from_utf8(one).unwrap().lines().count(), 14);
}

#[test]
fn colours_follow_flags_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.yml", BAD);
    let out = |cmd: &mut Command| String::from_utf8(cmd.output().unwrap().stdout).unwrap();
    assert!(!out(check_in(dir.path()).arg("bad.yml")).contains('\x1b'));
    assert!(out(check_in(dir.path()).args(["--color", "always", "bad.yml"])).contains('\x1b'));
    assert!(out(check_in(dir.path()).env("FORCE_COLOR", "1").arg("bad.yml")).contains('\x1b'));
    assert!(!out(check_in(dir.path())
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1")
        .arg("bad.yml"))
    .contains('\x1b'));
    // No hyperlink escapes, ever.
    assert!(!out(check_in(dir.path()).args(["--color", "always", "bad.yml"])).contains("\x1b]8;"));
}

#[test]
fn rule_command_prints_docs() {
    bin()
        .args(["rule", "K102"])
        .assert()
        .code(0)
        .stdout(contains("# K102 duplicate-task-id").and(contains("## Example")));
    bin()
        .args(["rule", "--all"])
        .assert()
        .code(0)
        .stdout(contains("Y001").and(contains("K102")));
    bin().args(["rule", "Z999"]).assert().code(2);
}

/// Every kind of bad input ends with a diagnostic or exit 2, never a panic or a hang.
mod bad_input {
    use super::*;

    fn lint_file(name: &str, content: impl AsRef<[u8]>) -> assert_cmd::assert::Assert {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), name, content);
        let assert = check_in(dir.path())
            .args(["--output-format", "concise", name])
            .timeout(std::time::Duration::from_secs(20))
            .assert();
        let out = assert.get_output();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "panic: {stderr}");
        assert
    }

    #[test]
    fn empty_and_comment_only_files_are_skipped() {
        lint_file("empty.yml", "")
            .code(0)
            .stdout(contains("0 flows checked"));
        lint_file("comments.yml", "# nothing here\n# at all\n").code(0);
    }

    #[test]
    fn scalar_and_list_roots_are_not_flows() {
        lint_file("scalar.yml", "just a string\n")
            .code(0)
            .stdout(contains("0 flows"));
        lint_file("list.yml", "- a\n- b\n")
            .code(0)
            .stdout(contains("0 flows"));
    }

    #[test]
    fn binary_and_invalid_utf8_get_y006() {
        lint_file("bin.yml", b"id: a\x00\x01\x02namespace")
            .code(1)
            .stdout(contains("bin.yml:1:6: error[Y006]"));
        lint_file("latin1.yml", b"id: caf\xe9\nnamespace: n\n")
            .code(1)
            .stdout(contains(
                "latin1.yml:1:8: error[Y006]: invalid UTF-8 at byte 7",
            ));
    }

    #[test]
    fn bom_and_crlf_keep_exact_columns() {
        let text = "\u{feff}id: hello\r\nnamespace: Bad\r\ntasks:\r\n  - id: a\r\n    type: io.kestra.plugin.core.log.Log\r\n    message: hi\r\n";
        lint_file("bom.yml", text)
            .code(1)
            .stdout(contains("bom.yml:2:12: error[K106]"));
    }

    #[test]
    fn tabs_in_indentation_are_a_syntax_error() {
        lint_file("tabs.yml", "id: a\nnamespace: n\ntasks:\n\t- id: t\n")
            .code(1)
            .stdout(contains("error[Y001]"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!(
            "id: a\nnamespace: n\ntasks: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        lint_file("deep.yml", deep)
            .code(1)
            .stdout(contains("error[Y001]"));
    }

    #[test]
    fn alias_bomb_is_cheap() {
        let mut text = String::from("id: a\nnamespace: n\ntasks: []\nvariables:\n  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            text.push_str(&format!("  {}: &{} [{refs}]\n", w[1], w[1]));
        }
        lint_file("bomb.yml", text)
            .code(1)
            .stdout(contains("warning[Y003]"));
    }

    #[test]
    fn huge_file_is_reported_not_read() {
        let big = vec![b'#'; 50 * 1024 * 1024];
        lint_file("big.yml", big)
            .code(1)
            .stdout(contains("big.yml:1:1: error[Y007]"));
    }

    #[test]
    fn directory_named_like_a_file_is_walked() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "flows.yml/inner.yml", GOOD);
        check_in(dir.path())
            .arg("flows.yml")
            .assert()
            .code(0)
            .stdout(contains("1 flow checked"));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_exit_two() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("loop.yml", dir.path().join("loop.yml")).unwrap();
        check_in(dir.path())
            .arg("loop.yml")
            .assert()
            .code(2)
            .stderr(contains("loop.yml"));
        // Inside a walked folder a loop is skipped quietly.
        write(dir.path(), "flows/good.yml", GOOD);
        std::os::unix::fs::symlink("..", dir.path().join("flows/up")).unwrap();
        check_in(dir.path()).arg("flows").assert().code(0);
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_file_is_exit_two() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "secret.yml", GOOD);
        let path = dir.path().join("secret.yml");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&path).is_ok() {
            // Running as root: permissions do not stop reads, nothing to test.
            return;
        }
        check_in(dir.path())
            .arg("secret.yml")
            .assert()
            .code(2)
            .stderr(contains("secret.yml"));
    }
}

#[test]
fn fix_rewrites_only_the_fixed_spans_and_relints() {
    let dir = tempfile::tempdir().unwrap();
    let flow = "id: f # the flow\nnamespace: company.team\ntasks:\n  - id: a\n    type: 'io.kestra.core.tasks.log.Log'   # old name\n    message: hi\n  - id: a\n    type: io.kestra.core.tasks.debugs.Return\n    format: x\n";
    write(dir.path(), "f.yml", flow);
    check_in(dir.path())
        .args(["--output-format", "concise", "f.yml"])
        .assert()
        .code(1)
        .stdout(contains("2 findings fixable with `--fix`."));
    check_in(dir.path())
        .args(["--output-format", "concise", "--fix", "f.yml"])
        .assert()
        .code(1)
        .stdout(contains("error[K102]: duplicate task id `a`"))
        .stdout(contains("D001").not())
        .stdout(contains("Fixed 2 findings."));
    let fixed = fs::read_to_string(dir.path().join("f.yml")).unwrap();
    assert_eq!(
        fixed,
        flow.replace(
            "io.kestra.core.tasks.log.Log",
            "io.kestra.plugin.core.log.Log"
        )
        .replace(
            "io.kestra.core.tasks.debugs.Return",
            "io.kestra.plugin.core.debug.Return"
        )
    );
}

#[test]
fn named_broken_flows_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let tail = "tasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
    write(
        d,
        "quote.yml",
        format!("\"id\": \"hello\nnamespace: company.team\n{tail}"),
    );
    write(
        d,
        "indent.yml",
        format!("id: hello\n namespace: company.team\n{tail}"),
    );
    write(
        d,
        "tab.yaml",
        format!("\tid: hello\nnamespace: company.team\n{tail}"),
    );
    // Not flows: a README (not YAML), a broken Helm template.
    write(
        d,
        "README.md",
        "# Flows\n\nid: hello\nnamespace: company.team\n  - [\n",
    );
    write(
        d,
        "chart/templates/job.yaml",
        "apiVersion: v1\nmetadata:\n  namespace: {{ .Release.Namespace }}\n  id: {{ x }\n",
    );
    let out = check_in(d)
        .args(["--isolated", "--output-format", "concise"])
        .args(["quote.yml", "indent.yml", "tab.yaml", "README.md"])
        .arg("chart/templates/job.yaml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("error[Y001]"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(files, ["indent.yml", "quote.yml", "tab.yaml"], "{stdout}");
    assert!(stdout.contains("(3 flows checked in"), "{stdout}");
}

/// Control characters from YAML text or file names never reach the output raw: a key with a
/// line break stays on one concise line, and ESC is escaped in every format read as text.
#[test]
fn control_characters_are_escaped_in_concise_full_and_gitlab() {
    let dir = tempfile::tempdir().unwrap();
    let flow = "id: hello\nnamespace: company.team\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    \"mes\\nsage\\e[31m\": x\n";
    write(dir.path(), "flows/a.yml", flow);
    for format in ["concise", "full", "gitlab", "github"] {
        let out = check_in(dir.path())
            .args(["--color", "never", "--output-format", format, "flows/a.yml"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains('\u{1b}'), "{format}: raw ESC in {out:?}");
        assert!(
            out.contains("mes\\nsage") || out.contains("mes\\\\nsage"),
            "{format}: {out}"
        );
        if format == "concise" {
            let findings: Vec<&str> = out.lines().filter(|l| l.contains("[S001]")).collect();
            assert_eq!(findings.len(), 1, "{out}");
            assert!(findings[0].contains("\\u{1b}[31m"), "{out}");
        }
    }
}

/// On Unix a backslash is part of a file name: paths are shown as written.
#[cfg(unix)]
#[test]
fn a_backslash_in_a_file_name_is_shown_as_written() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "flows/we\\ird.yml", BAD);
    check_in(dir.path())
        .args(["--output-format", "concise", "flows"])
        .assert()
        .code(1)
        .stdout(contains("flows/we\\ird.yml:7:9: error[K102]"));
}

/// `--edition` decides Enterprise features: a warning when unset, an error on `oss`, nothing
/// on `ee`; the command line overrides the config file.
#[test]
fn edition_flag_and_setting() {
    let dir = tempfile::tempdir().unwrap();
    let flow = "id: hello\nnamespace: company.team\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    workerGroup:\n      key: gpu\n";
    write(dir.path(), "flows/a.yml", flow);
    let run = |args: &[&str]| {
        // Worker groups are a 1.x feature (2.0 refuses the key: K802).
        let out = check_in(dir.path())
            .args([
                "--output-format",
                "concise",
                "--exit-zero",
                "--target-version",
                "1.3",
            ])
            .args(args)
            .arg("flows")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run(&[]).contains("warning[K206]"));
    assert!(run(&["--edition", "oss"]).contains("error[K206]"));
    assert!(!run(&["--edition", "ee"]).contains("K206"));
    write(dir.path(), "kestra-lint.toml", "edition = \"oss\"\n");
    assert!(run(&[]).contains("error[K206]"));
    assert!(!run(&["--edition", "ee"]).contains("K206"));
    check_in(dir.path())
        .args(["--show-settings"])
        .assert()
        .stdout(contains("edition = \"oss\""));
}
