//! The Kestra version a run lints for: `--target-version`, the config's `target-version`, the
//! pinned schema's Kestra version, else 2.0 — and what changes with it.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// Valid on Kestra 1.3, refused by 2.0 (ForEach, trigger conditions, flow plugin defaults).
const OLD: &str = "id: old\nnamespace: company.team\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    values: [a, b]\n    tasks:\n      - id: log\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ taskrun.value }}\"\ntriggers:\n  - id: daily\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"0 9 * * *\"\n    conditions:\n      - type: io.kestra.plugin.core.condition.Weekend\npluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values:\n      level: WARN\n";

/// Valid on Kestra 2.0, unknown to 1.3 (Loop, trigger `when`, Flow-trigger `dependsOn`).
const NEW: &str = "id: new\nnamespace: company.team\nworkerSelector:\n  tags: [general]\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.Loop\n    values: [a, b]\n    tasks:\n      - id: log\n        type: io.kestra.plugin.core.log.Log\n        message: \"{{ item.value }}\"\ntriggers:\n  - id: daily\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: \"0 9 * * *\"\n    when: \"{{ not isWeekend(trigger.date) }}\"\n  - id: after\n    type: io.kestra.plugin.core.trigger.Flow\n    dependsOn:\n      - namespace: company.team\n        flowId: old\n        states: [SUCCESS]\n    window:\n      lookback: PT1H\n";

fn concise(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin()
        .current_dir(dir)
        .args(["check", "--output-format", "concise"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn default_is_2_0_and_says_how_to_lint_for_1_3() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yml", OLD);
    write(dir.path(), "new.yml", NEW);
    let (code, out, _) = concise(dir.path(), &["--isolated", "old.yml"]);
    assert_eq!(code, 1, "{out}");
    for wanted in [
        "old.yml:5:11: error[K801]: Invalid type: io.kestra.plugin.core.flow.ForEach",
        "old.yml:15:5: error[K802]: Unrecognized field \"conditions\"",
        "old.yml:17:1: error[K802]: Unrecognized field \"pluginDefaults\"",
        "only refused by Kestra 2.0, the default target; for a 1.3 server, use `--target-version 1.3`",
    ] {
        assert!(out.contains(wanted), "missing {wanted:?} in:\n{out}");
    }
    let (code, out, _) = concise(dir.path(), &["--isolated", "new.yml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("All checks passed"), "{out}");
}

#[test]
fn target_1_3_keeps_the_1_x_model() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.yml", OLD);
    write(dir.path(), "new.yml", NEW);
    let (code, out, _) = concise(
        dir.path(),
        &["--isolated", "--target-version", "1.3", "old.yml"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("K80"), "{out}");
    let (code, out, _) = concise(
        dir.path(),
        &["--isolated", "--target-version", "1.x", "new.yml"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[S005]: unknown task type `io.kestra.plugin.core.flow.Loop`"),
        "{out}"
    );
    assert!(
        out.contains("error[S001]: unknown property `when`"),
        "{out}"
    );
    assert!(!out.contains("only refused by Kestra 2.0"), "{out}");
}

#[test]
fn an_unknown_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "new.yml", NEW);
    let (code, out, err) = concise(
        dir.path(),
        &["--isolated", "--target-version", "9.9", "new.yml"],
    );
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("unknown Kestra version `9.9`"), "{err}");
    write(dir.path(), "kestra-lint.toml", "target-version = \"2.1\"\n");
    let (code, _, err) = concise(dir.path(), &["new.yml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("kestra-lint.toml:1:18: unknown Kestra version `2.1`"),
        "{err}"
    );
}

#[test]
fn resolution_order_is_flag_config_pinned_default() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    let show = |args: &[&str]| {
        let out = bin()
            .current_dir(dir.path())
            .args(["check", "--show-settings"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(show(&[]).contains("target-version = \"2.0\"  # the default: the current release line"));
    // A schema pinned from a 1.3 server.
    write(dir.path(), ".kestra/flow-schema.json", "{}");
    write(
        dir.path(),
        ".kestra/flow-schema.meta.json",
        "{\"server\": \"https://k.example\", \"kestraVersion\": \"1.3.12\", \"pulledAt\": \"2026-11-01T00:00:00Z\", \"sha256\": \"0\"}",
    );
    assert!(show(&[]).contains("target-version = \"1.3\"  # the Kestra version of the pinned schema .kestra/flow-schema.json"), "{}", show(&[]));
    write(dir.path(), "kestra-lint.toml", "target-version = \"2.0\"\n");
    assert!(show(&[]).contains("target-version = \"2.0\"  # from kestra-lint.toml"));
    assert!(show(&["--target-version", "1.3"])
        .contains("target-version = \"1.3\"  # from --target-version"));
}

#[test]
fn a_retired_code_means_its_successor() {
    let dir = tempfile::tempdir().unwrap();
    let dashed = "id: f\nnamespace: company.team\ninputs:\n  - id: start-date\n    type: STRING\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ inputs.start-date }}\"\n";
    write(dir.path(), "dashed.yml", dashed);
    let (code, out, _) = concise(dir.path(), &["--isolated", "dashed.yml"]);
    assert_eq!(code, 1);
    assert!(out.contains("error[P108]"), "{out}");
    // In the config and on the command line.
    write(
        dir.path(),
        "kestra-lint.toml",
        "[lint]\nignore = [\"K204\"]\n",
    );
    let (code, out, err) = concise(dir.path(), &["dashed.yml"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = concise(
        dir.path(),
        &["--isolated", "--ignore", "K204", "dashed.yml"],
    );
    assert_eq!(code, 0, "{out}");
    // In a suppression comment: it hides P108 and is not unknown (L002) nor unused (L001).
    let suppressed = dashed.replace(
        "message: \"{{ inputs.start-date }}\"",
        "message: \"{{ inputs.start-date }}\"  # kestra-lint: ignore[K204]",
    );
    write(dir.path(), "suppressed.yml", &suppressed);
    let (code, out, _) = concise(dir.path(), &["--isolated", "suppressed.yml"]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("L00"), "{out}");
}

#[test]
fn schema_info_shows_the_target() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .current_dir(dir.path())
        .args(["schema", "info", "--isolated"])
        .assert()
        .code(0)
        .stdout(contains(
            "target: Kestra 2.0 (the default: the current release line)",
        ))
        .stdout(contains(" 0 condition"));
}

#[test]
fn a_nested_config_sets_the_target_of_its_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    write(dir.path(), "flows/new.yml", NEW);
    write(dir.path(), "legacy/old.yml", OLD);
    write(
        dir.path(),
        "legacy/kestra-lint.toml",
        "target-version = \"1.3\"\n",
    );
    let (code, out, err) = concise(dir.path(), &["flows", "legacy"]);
    assert_eq!(code, 0, "{out}{err}");
    // The same 1.x flow outside the legacy folder is refused (2.0, the default).
    write(
        dir.path(),
        "flows/old.yml",
        &OLD.replace("id: old", "id: old_copy"),
    );
    let (code, out, _) = concise(dir.path(), &["flows", "legacy"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("flows/old.yml:5:11: error[K801]"), "{out}");
    assert!(!out.contains("legacy/old.yml"), "{out}");
}
