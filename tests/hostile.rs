//! Hostile input: whatever it is given, the binary answers with a clear diagnostic and exit 0, 1
//! or 2, without hanging or running out of memory. Inputs are generated in a temporary folder
//! at test time. No timings are asserted: `scripts/hostile-bench.sh` measures them.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;

const HEAD: &str = "id: hostile\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    // Not a timing assertion: a generous guard so a hang fails the test instead of CI.
    cmd.timeout(std::time::Duration::from_secs(300))
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn check(dir: &Path) -> Command {
    let mut cmd = bin();
    cmd.current_dir(dir).args(["check", "--isolated"]);
    cmd
}

fn stdout_of(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn alias_bomb_is_not_expanded() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = format!("{HEAD}    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        yaml.push_str(&format!("    a{i}: &a{i} [{refs}]\n"));
    }
    fs::write(dir.path().join("bomb.yml"), yaml).unwrap();
    check(dir.path())
        .args(["--output-format", "concise", "bomb.yml"])
        .assert()
        .code(1)
        .stdout(contains("Y003"));
}

#[test]
fn a_million_levels_of_nesting_are_a_syntax_error() {
    let dir = tempfile::tempdir().unwrap();
    let flow = format!("{HEAD}    x: {}\n", "[".repeat(1_000_000));
    fs::write(dir.path().join("flow.yml"), flow).unwrap();
    let block = format!("{HEAD}    x:\n{}", "- ".repeat(1_000_000));
    fs::write(dir.path().join("block.yml"), block).unwrap();
    let out = stdout_of(
        check(dir.path()).args(["--output-format", "concise", "flow.yml", "block.yml"]),
        1,
    );
    assert!(out.contains("flow.yml:7:") && out.contains("Y001"), "{out}");
    assert!(out.contains("block.yml:"), "{out}");
}

#[test]
fn a_10_mb_scalar_is_read_and_an_11_mb_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!("{HEAD}    description: {}\n", "a".repeat(10_000_000));
    fs::write(dir.path().join("big.yml"), big).unwrap();
    check(dir.path())
        .arg("big.yml")
        .assert()
        .code(0)
        .stdout(contains("All checks passed (1 flow checked"));
    let huge = format!("{HEAD}    description: {}\n", "a".repeat(11_000_000));
    fs::write(dir.path().join("huge.yml"), huge).unwrap();
    check(dir.path())
        .args(["--output-format", "concise", "huge.yml"])
        .assert()
        .code(1)
        .stdout(contains("Y007"));
}

#[test]
fn a_long_invalid_id_gets_its_finding() {
    let dir = tempfile::tempdir().unwrap();
    let id = "a ".repeat(100_000);
    let yaml = format!(
        "id: {id}\nnamespace: {id}\ntasks:\n  - id: {id}\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n"
    );
    fs::write(dir.path().join("ids.yml"), yaml).unwrap();
    // The default `full` format, with its snippets.
    let out = stdout_of(check(dir.path()).arg("ids.yml"), 1);
    for code in ["K101", "K106", "K107"] {
        assert!(out.contains(code), "{code} missing");
    }
    assert!(out.contains("contains a space, which is not allowed"));
}

/// 100,000 anchors: 100,000 Y003 findings before the cap.
fn many_findings(dir: &Path) {
    let mut yaml = format!("{HEAD}    labels:\n");
    for i in 0..100_000 {
        yaml.push_str(&format!("      k{i}: &a{i} v\n"));
    }
    fs::write(dir.join("many.yml"), yaml).unwrap();
}

#[test]
fn a_hundred_thousand_findings_end_in_one_note() {
    let dir = tempfile::tempdir().unwrap();
    many_findings(dir.path());
    for format in ["json", "sarif", "full"] {
        let out = stdout_of(
            check(dir.path()).args(["--output-format", format, "many.yml"]),
            1,
        );
        assert!(out.len() < 2_000_000, "{format}: {} bytes", out.len());
        assert!(
            out.contains("99800 more findings in this file not shown (99800 Y003)"),
            "{format}"
        );
    }
    let json = stdout_of(
        check(dir.path()).args(["--output-format", "json", "many.yml"]),
        1,
    );
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = findings.as_array().unwrap();
    let y003 = findings.iter().filter(|f| f["code"] == "Y003").count();
    assert_eq!(y003, 200);
    assert_eq!(findings.last().unwrap()["code"], "L003");
    // The limits are settings: 0 lifts them.
    let all = stdout_of(
        check(dir.path()).args([
            "--output-format",
            "concise",
            "--max-findings-per-rule",
            "0",
            "--max-findings-per-file",
            "0",
            "many.yml",
        ]),
        1,
    );
    assert_eq!(all.matches("Y003").count(), 100_000);
}

#[test]
fn binary_and_invalid_utf8_are_y006() {
    let dir = tempfile::tempdir().unwrap();
    let noise: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(dir.path().join("binary.yml"), noise).unwrap();
    let mut latin1 = HEAD.as_bytes().to_vec();
    latin1.extend_from_slice(b"    description: caf\xe9\n");
    fs::write(dir.path().join("latin1.yml"), latin1).unwrap();
    let out = stdout_of(
        check(dir.path()).args(["--output-format", "concise", "binary.yml", "latin1.yml"]),
        1,
    );
    assert!(out.contains("binary.yml:1:1: error[Y006]"), "{out}");
    assert!(
        out.contains("latin1.yml:7:") && out.contains("Y006"),
        "{out}"
    );
}

#[test]
fn a_ring_of_subflows_is_reported_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let n = 300;
    for i in 0..n {
        let yaml = format!(
            "id: f{i}\nnamespace: company.team\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: company.team\n    flowId: f{}\n",
            (i + 1) % n
        );
        fs::write(dir.path().join(format!("f{i}.yml")), yaml).unwrap();
    }
    let out = stdout_of(check(dir.path()).args(["--output-format", "concise"]), 0);
    assert_eq!(out.matches("K703").count(), n);
    assert!(out.contains("… 294 more …"), "{}", &out[..500]);
    // Each finding names 7 flows, not 301.
    assert!(out.len() < n * 400, "{} bytes", out.len());
}

#[test]
fn a_broken_file_is_not_fixed_into_another_one() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!("{HEAD}    x: {{{{ inputs.a }}}} b\n\tlevel: INFO\n");
    fs::write(dir.path().join("tab.yml"), &yaml).unwrap();
    let out = stdout_of(
        check(dir.path()).args(["--output-format", "concise", "--fix", "tab.yml"]),
        1,
    );
    assert!(out.contains("Y001"), "{out}");
    let after = fs::read_to_string(dir.path().join("tab.yml")).unwrap();
    assert!(
        kestra_lint::yaml::parse(&after).syntax_error.is_some(),
        "{after}"
    );
    // A fixable P001 is fixed into YAML that parses.
    let p001 = format!("{HEAD}    x: {{{{ inputs.a }}}} b\n");
    fs::write(dir.path().join("p001.yml"), &p001).unwrap();
    check(dir.path())
        .args(["--fix", "p001.yml"])
        .assert()
        .code(1);
    let fixed = fs::read_to_string(dir.path().join("p001.yml")).unwrap();
    assert!(kestra_lint::yaml::parse(&fixed).syntax_error.is_none());
    assert!(fixed.contains("x: \"{{ inputs.a }} b\""), "{fixed}");
}

#[cfg(unix)]
mod unix {
    use super::*;

    fn mkfifo(path: &Path) {
        let ok = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success();
        assert!(ok, "mkfifo failed");
    }

    #[test]
    fn a_fifo_named_on_the_command_line_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        mkfifo(&dir.path().join("x.yaml"));
        check(dir.path())
            .arg("x.yaml")
            .assert()
            .code(2)
            .stderr(contains(
                "x.yaml: is a FIFO (named pipe), not a regular file; it was not read",
            ));
    }

    #[test]
    fn a_symlink_to_dev_zero_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yml")).unwrap();
        check(dir.path())
            .arg("zero.yml")
            .assert()
            .code(2)
            .stderr(contains(
                "zero.yml: is a character device, not a regular file",
            ));
    }

    #[test]
    fn special_files_in_a_folder_are_skipped_and_listed_with_verbose() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("good.yml"), HEAD).unwrap();
        mkfifo(&dir.path().join("pipe.yml"));
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yml")).unwrap();
        check(dir.path())
            .arg("-v")
            .assert()
            .code(0)
            .stderr(contains("skipped (not a regular file): pipe.yml"))
            .stderr(contains("skipped (a symlink, not followed): zero.yml"));
    }

    /// Runs the binary through `sh` so a standard stream can be closed.
    fn sh(dir: &Path, script: &str) -> std::process::Output {
        let bin = assert_cmd::cargo::cargo_bin("kestra-lint");
        std::process::Command::new("sh")
            .current_dir(dir)
            .arg("-c")
            .arg(script)
            .arg(bin)
            .output()
            .unwrap()
    }

    #[test]
    fn a_closed_stdout_is_exit_2_not_a_lost_report() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("f.yml"), HEAD).unwrap();
        let out = sh(dir.path(), r#""$0" check --isolated f.yml >&-"#);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("cannot write to stdout: it is closed"),
            "{stderr}"
        );
        // Sent to /dev/null on purpose, the report is the user's to drop.
        let out = sh(dir.path(), r#""$0" check --isolated f.yml >/dev/null"#);
        assert_eq!(out.status.code(), Some(0));
    }

    #[test]
    fn an_empty_stdin_is_a_flow_with_nothing_in_it_not_a_pass() {
        let dir = tempfile::tempdir().unwrap();
        let out = sh(dir.path(), r#""$0" check --isolated - </dev/null"#);
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("All checks passed"), "{stdout}");
        assert!(stdout.contains("flow has no `id`"), "{stdout}");
    }

    #[test]
    fn a_closed_stdin_is_exit_2_not_a_pass() {
        let dir = tempfile::tempdir().unwrap();
        let out = sh(dir.path(), r#""$0" check --isolated - <&-"#);
        assert_eq!(out.status.code(), Some(2));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("All checks passed"), "{stdout}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("stdin is closed"), "{stderr}");
    }
}
