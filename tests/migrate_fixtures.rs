//! The Kestra 2.0 migration rewrites, end to end: each `tests/fixtures/migrate/NAME.before.yml`
//! fixed with `check --fix --unsafe-fixes --target-version 2.0` must give `NAME.after.yml`
//! byte for byte, the fixed flow must have no 2.0 error left (the code the fixture is named
//! after, `k801_…`, in particular), and a second run must change nothing.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const FIXTURES: &str = "tests/fixtures/migrate";

/// `check` on one file of `dir`, isolated and uncached, on the 2.0 target, with `args`.
fn check_2_0(dir: &Path, file: &str, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    cmd.current_dir(dir)
        .args([
            "check",
            "--isolated",
            "--no-cache",
            "--target-version",
            "2.0",
        ])
        .args(args)
        .arg(file);
    cmd
}

fn fix(dir: &Path, file: &str) {
    check_2_0(
        dir,
        file,
        &["--fix", "--unsafe-fixes", "--exit-zero", "--quiet"],
    )
    .assert()
    .code(0);
}

/// The findings of a file on 2.0, as (code, severity, message).
fn findings(dir: &Path, file: &str) -> Vec<(String, String, String)> {
    let out = check_2_0(dir, file, &["--output-format", "json", "--exit-zero"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("severity"), s("message"))
        })
        .collect()
}

fn befores() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".before.yml"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_rewrite_gives_its_after_file_and_is_stable() {
    let befores = befores();
    assert!(befores.len() >= 20, "{befores:?}");
    let mut failures = Vec::new();
    for before in befores {
        let name = before
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".before.yml")
            .to_string();
        let code = name.split('_').next().unwrap().to_uppercase();
        let expected = fs::read_to_string(before.with_file_name(format!("{name}.after.yml")))
            .unwrap_or_else(|_| panic!("{name}: no after file"));
        let original = fs::read_to_string(&before).unwrap();
        assert!(
            findings(
                before.parent().unwrap(),
                before.file_name().unwrap().to_str().unwrap()
            )
            .iter()
            .any(|(c, _, _)| *c == code),
            "{name}: the before file has no {code} finding"
        );
        let dir = tempfile::tempdir().unwrap();
        let file = "flow.yml";
        fs::write(dir.path().join(file), &original).unwrap();
        fix(dir.path(), file);
        let fixed = fs::read_to_string(dir.path().join(file)).unwrap();
        if fixed != expected {
            failures.push(format!("{name}: fixed text differs:\n{fixed}"));
            continue;
        }
        let left = findings(dir.path(), file);
        let blocking: Vec<_> = left
            .iter()
            .filter(|(c, severity, _)| *c == code || severity == "error")
            .collect();
        if !blocking.is_empty() {
            failures.push(format!(
                "{name}: still reported after the fix: {blocking:?}"
            ));
        }
        fix(dir.path(), file);
        let again = fs::read_to_string(dir.path().join(file)).unwrap();
        if again != fixed {
            failures.push(format!("{name}: a second run changed it:\n{again}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
