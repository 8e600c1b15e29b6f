//! `kestra-lint migrate` as a user runs it: what it writes, prints and exits with.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

/// A 1.x flow: an old alias (D001) and `maxAttempt` (K802) have safe fixes; `listeners`
/// (K802) has no 2.0 equivalent and blocks.
const OLD: &str = "\
id: nightly
namespace: company.team
# the tasks
tasks:
  - id: hello # greets
    type: io.kestra.core.tasks.log.Log
    message: hi
    retry:
      type: constant
      interval: PT1M
      # three tries
      maxAttempt: 3 # enough
listeners:
  - tasks:
      - id: notify
        type: io.kestra.plugin.core.log.Log
        message: done
";

const MIGRATED: &str = "\
id: nightly
namespace: company.team
# the tasks
tasks:
  - id: hello # greets
    type: io.kestra.plugin.core.log.Log
    message: hi
    retry:
      type: constant
      interval: PT1M
      # three tries
      maxAttempts: 3 # enough
listeners:
  - tasks:
      - id: notify
        type: io.kestra.plugin.core.log.Log
        message: done
";

/// Only fixable incompatibilities: clean on 2.0 once migrated.
const FIXABLE: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: \"io.kestra.core.tasks.log.Log\"\n    message: hi\n";

const CLEAN: &str = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";

fn migrate_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["migrate", "--isolated"]);
    cmd
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn check_writes_nothing_and_exits_one_when_something_needs_migrating() {
    let dir = dir_with(&[("flows/old.yml", OLD), ("flows/clean.yml", CLEAN)]);
    migrate_in(dir.path())
        .args(["--check", "flows"])
        .assert()
        .code(1)
        .stdout(contains(
            "flows/old.yml: would migrate: 2 fixes (1 × D001, 1 × K802)\n",
        ))
        .stdout(contains(
            "  would fix K802: rename `maxAttempt` to `maxAttempts`\n",
        ))
        .stdout(contains("  still blocks on Kestra 2.0: 1 × K802\n"))
        .stdout(contains(
            "flows/old.yml:13:1: K802 Unrecognized field \"listeners\"",
        ))
        .stdout(contains("Would migrate 1 file of 2 flows with 2 fixes.\n"))
        .stdout(contains("clean.yml").not());
    assert_eq!(read(dir.path(), "flows/old.yml"), OLD);
}

#[test]
fn check_exits_zero_when_everything_is_ready() {
    let dir = dir_with(&[("clean.yml", CLEAN)]);
    migrate_in(dir.path())
        .arg("--check")
        .assert()
        .code(0)
        .stdout("Nothing to migrate: 1 flow ready for Kestra 2.0.\n");
}

#[test]
fn diff_prints_the_migration_and_writes_nothing() {
    let dir = dir_with(&[("old.yml", OLD)]);
    migrate_in(dir.path())
        .args(["--diff", "old.yml"])
        .assert()
        .code(1)
        .stdout(contains("--- old.yml\n+++ old.yml\n"))
        .stdout(contains(
            "-    type: io.kestra.core.tasks.log.Log\n+    type: io.kestra.plugin.core.log.Log\n",
        ))
        .stdout(contains(
            "-      maxAttempt: 3 # enough\n+      maxAttempts: 3 # enough\n",
        ));
    assert_eq!(read(dir.path(), "old.yml"), OLD);
    let clean = dir_with(&[("clean.yml", CLEAN)]);
    migrate_in(clean.path())
        .arg("--diff")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn migrate_writes_keeping_comments_and_says_what_still_blocks() {
    let dir = dir_with(&[("old.yml", OLD)]);
    migrate_in(dir.path())
        .assert()
        .code(1)
        .stdout(contains(
            "old.yml: migrated: 2 fixes (1 × D001, 1 × K802)\n",
        ))
        .stdout(contains(
            "  fixed D001: replace with `io.kestra.plugin.core.log.Log`\n",
        ))
        .stdout(contains("1 file still blocks Kestra 2.0: 1 × K802.\n"));
    assert_eq!(read(dir.path(), "old.yml"), MIGRATED);
    // A second run changes nothing; the blocker is still reported.
    migrate_in(dir.path())
        .assert()
        .code(1)
        .stdout(contains("old.yml: nothing fixed\n"))
        .stdout(contains("Migrated 0 files of 1 flow with 0 fixes.\n"));
    assert_eq!(read(dir.path(), "old.yml"), MIGRATED);
}

#[test]
fn migrate_exits_zero_once_nothing_blocks() {
    let dir = dir_with(&[("f.yml", FIXABLE)]);
    migrate_in(dir.path())
        .assert()
        .code(0)
        .stdout(contains("Migrated 1 file of 1 flow with 1 fix.\n"));
    assert_eq!(
        read(dir.path(), "f.yml"),
        FIXABLE.replace("core.tasks.log", "plugin.core.log")
    );
    migrate_in(dir.path())
        .arg("--check")
        .assert()
        .code(0)
        .stdout(contains("Nothing to migrate"));
}

#[test]
fn the_target_is_2_0_whatever_the_config_says() {
    let dir = dir_with(&[
        ("kestra-lint.toml", "target-version = \"1.3\"\n"),
        ("f.yml", FIXABLE),
    ]);
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    cmd.current_dir(dir.path())
        .args(["migrate", "--check"])
        .assert()
        .code(1)
        .stdout(contains("f.yml: would migrate: 1 fix (1 × D001)"));
}

#[test]
fn json_gives_each_fix_with_its_code_and_targets() {
    let dir = dir_with(&[("old.yml", OLD)]);
    let out = migrate_in(dir.path())
        .args(["--check", "--unsafe-fixes", "--output-format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["path"], "old.yml");
    assert_eq!(file["changed"], true);
    assert_eq!(file["written"], false);
    let fixes: Vec<(String, String)> = file["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["targets"].to_string(),
            )
        })
        .collect();
    assert!(
        fixes.contains(&("D001".to_string(), "[\"/tasks/0/type\"]".to_string())),
        "{fixes:?}"
    );
    assert!(
        fixes.contains(&("K802".to_string(), "[\"/tasks/0/retry\"]".to_string())),
        "{fixes:?}"
    );
    assert_eq!(file["blocking"][0]["code"], "K802");
    assert_eq!(file["blocking"][0]["line"], 13);
    assert_eq!(
        v["summary"]["fixes_by_code"],
        serde_json::json!({"D001": 1, "K802": 1})
    );
    assert_eq!(
        v["summary"]["blocking_by_code"],
        serde_json::json!({"K802": 1})
    );
}

#[test]
fn tool_errors_exit_two() {
    let dir = dir_with(&[]);
    migrate_in(dir.path())
        .arg("nope")
        .assert()
        .code(2)
        .stderr(contains("nope: no such file or directory"));
    migrate_in(dir.path())
        .arg("-")
        .assert()
        .code(2)
        .stderr(contains("migrate does not read stdin"));
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_left_alone_with_exit_two() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with(&[("f.yml", FIXABLE)]);
    let path = dir.path().join("f.yml");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    migrate_in(dir.path())
        .assert()
        .code(2)
        .stderr(contains("f.yml: cannot write the migration"))
        .stdout(contains("f.yml: migrated (not written)"));
    assert_eq!(read(dir.path(), "f.yml"), FIXABLE);
}

/// P001's quoting of a template that is an item of a flow list stops at the item (it used to
/// run to the end of the line, which verification then dropped; `fix::tests` keeps that case).
#[test]
fn a_template_in_a_flow_list_is_quoted_alone() {
    let text = "id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: [{{ inputs.a }}, b]\n";
    let dir = dir_with(&[("f.yml", text)]);
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    cmd.current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "--select", "P001", "f.yml"])
        .assert()
        .code(0)
        .stderr(contains("was not applied").not());
    assert_eq!(
        read(dir.path(), "f.yml"),
        text.replace("[{{ inputs.a }}, b]", "[\"{{ inputs.a }}\", b]")
    );
}

/// `migrate --unsafe-fixes` turns each rewrite fixture into its after-text, the rewrites of
/// findings that still pass on 2.0 (S004 `CANCELED`, K803, D00x) included.
#[test]
fn migrate_applies_every_rewrite_of_the_fixtures() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrate");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".before.yml").map(str::to_string))
        .collect();
    names.sort();
    assert!(names.len() > 20, "{names:?}");
    let mut wrong = Vec::new();
    for name in &names {
        let before = fs::read_to_string(fixtures.join(format!("{name}.before.yml"))).unwrap();
        let after = fs::read_to_string(fixtures.join(format!("{name}.after.yml"))).unwrap();
        let dir = dir_with(&[("flow.yml", &before)]);
        migrate_in(dir.path())
            .args(["--unsafe-fixes", "-q", "flow.yml"])
            .output()
            .unwrap();
        if read(dir.path(), "flow.yml") != after {
            wrong.push(name.clone());
        }
    }
    assert!(
        wrong.is_empty(),
        "migrate differs from the fixture: {wrong:?}"
    );
}

/// Configs are read as `check` reads them: the run's `extend-exclude`, a nested config's
/// `exclude` and `per-file-ignores` (the closest config applies), `--config` (that file only)
/// and `--isolated` (none).
#[test]
fn configs_choose_the_files_and_findings_as_for_check() {
    let dir = dir_with(&[
        ("kestra-lint.toml", "extend-exclude = [\"archive\"]\n"),
        ("archive/old.yml", FIXABLE),
        (
            "team/kestra-lint.toml",
            "exclude = [\"skip.yml\"]\n\n[lint]\nper-file-ignores = { \"quiet.yml\" = [\"D001\"] }\n",
        ),
        ("team/skip.yml", FIXABLE),
        ("team/quiet.yml", FIXABLE),
        ("team/f.yml", FIXABLE),
    ]);
    let migrate = |extra: &[&str]| {
        let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
        cmd.current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(["migrate", "--check"])
            .args(extra);
        cmd
    };
    migrate(&[])
        .assert()
        .code(1)
        .stdout(contains("team/f.yml: would migrate: 1 fix (1 × D001)\n"))
        .stdout(contains("Would migrate 1 file of 2 flows with 1 fix.\n"))
        .stdout(contains("quiet.yml").not())
        .stdout(contains("skip.yml").not())
        .stdout(contains("archive").not());
    // `check` lints the same files and reports D001 in the same one.
    let mut check = Command::cargo_bin("kestra-lint").unwrap();
    check
        .current_dir(dir.path())
        .args(["check", "--no-cache", "--output-format", "concise", "-v"])
        .args(["--select", "D001"])
        .assert()
        .code(1)
        .stdout(contains("team/f.yml:5:11: error[D001]"))
        .stdout(contains("quiet.yml").not())
        .stderr(contains("checked: team/quiet.yml"))
        .stderr(contains("skip.yml").not())
        .stderr(contains("archive").not());
    migrate(&["--config", "kestra-lint.toml"])
        .assert()
        .code(1)
        .stdout(contains("Would migrate 3 files of 3 flows with 3 fixes.\n"))
        .stdout(contains("archive").not());
    migrate(&["--isolated"])
        .assert()
        .code(1)
        .stdout(contains("Would migrate 4 files of 4 flows with 4 fixes.\n"));
}

/// `--schema` (and `schema` in a config) choose the schema as for `check`.
#[test]
fn the_schema_flag_and_key_are_read() {
    let dir = dir_with(&[("f.yml", FIXABLE)]);
    migrate_in(dir.path())
        .args(["--check", "--schema", "missing.json"])
        .assert()
        .code(2)
        .stderr(contains("cannot read schema missing.json"));
    let dir = dir_with(&[
        ("kestra-lint.toml", "schema = \"missing.json\"\n"),
        ("f.yml", FIXABLE),
    ]);
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    cmd.current_dir(dir.path())
        .args(["migrate", "--check"])
        .assert()
        .code(2)
        .stderr(contains("missing.json"));
}
