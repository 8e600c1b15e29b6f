//! Configuration, rule selection, suppressions, baselines and `rule` docs, as a user runs them.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const BAD: &str = "id: hello\nnamespace: company.team\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: again\n";
/// Only a warning (B001).
const WARN: &str = "id: hello\nnamespace: company.team\ntasks:\n  - id: q\n    type: io.kestra.plugin.jdbc.postgresql.Query\n    sql: select 1\n    password: hunter2\n";

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

fn check_in(dir: &Path) -> Command {
    let mut cmd = bin();
    cmd.current_dir(dir)
        .args(["check", "--output-format", "concise"]);
    cmd
}

/// A repository (with `.git`) holding `kestra-lint.toml` and a flow with a duplicate id.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    write(dir.path(), "kestra-lint.toml", config);
    write(dir.path(), "flows/team/bad.yml", BAD);
    dir
}

#[test]
fn config_is_found_from_a_subdirectory_and_isolated_ignores_it() {
    let dir = repo("[lint]\nignore = [\"K102\"]\n");
    let sub = dir.path().join("flows/team");
    check_in(&sub).assert().code(0);
    check_in(&sub).arg("--isolated").assert().code(1);
    bin()
        .current_dir(&sub)
        .args(["check", "--show-settings"])
        .assert()
        .code(0)
        .stdout(contains("# Settings from ../../kestra-lint.toml\n"))
        .stdout(contains("ignore = [\"K102\"]  # file"));
}

#[test]
fn the_closest_file_wins_and_dotfiles_are_found() {
    let dir = repo("[lint]\nignore = [\"K102\"]\n");
    write(
        dir.path(),
        "flows/.kestra-lint.toml",
        "[lint]\nselect = [\"K\"]\n",
    );
    check_in(&dir.path().join("flows")).assert().code(1);
    // From the root too: each file uses the config closest to it.
    check_in(dir.path()).assert().code(1);
    write(dir.path(), "other/bad.yml", &BAD.replace("hello", "other"));
    check_in(dir.path()).arg("other").assert().code(0);
}

#[test]
fn explicit_config_path() {
    let dir = repo("[lint]\nignore = [\"K102\"]\n");
    write(dir.path(), "strict.toml", "fail-on = \"warning\"\n");
    check_in(dir.path())
        .args(["--config", "strict.toml"])
        .assert()
        .code(1)
        .stdout(contains("error[K102]"));
    check_in(dir.path())
        .args(["--config", "missing.toml"])
        .assert()
        .code(2)
        .stderr(contains("missing.toml: cannot read config"));
}

#[test]
fn command_line_flags_override_the_file() {
    let dir = repo("output-format = \"full\"\nfail-on = \"warning\"\n[lint]\nselect = [\"Y\"]\n");
    write(dir.path(), "flows/warn.yml", WARN);
    // The file selects only Y rules; --select brings K102 back.
    bin().current_dir(dir.path()).arg("check").assert().code(0);
    bin()
        .current_dir(dir.path())
        .args(["check", "--select", "K102,B"])
        .assert()
        .code(1)
        .stdout(contains("╭─[flows/team/bad.yml:7:9]"));
    // --output-format beats `output-format`; --fail-on beats `fail-on`.
    check_in(dir.path())
        .args(["--select", "B001", "flows/warn.yml"])
        .assert()
        .code(1)
        .stdout(contains("flows/warn.yml:7:15: warning[B001]"));
    check_in(dir.path())
        .args(["--select", "B001", "--fail-on", "error", "flows/warn.yml"])
        .assert()
        .code(0);
    check_in(dir.path())
        .args(["--select", "K", "--ignore", "K1,K7"])
        .assert()
        .code(0);
    // The most specific selector wins: K102 beats K1.
    check_in(dir.path())
        .args(["--extend-select", "K102", "--ignore", "K1"])
        .assert()
        .code(1);
}

#[test]
fn every_key_is_honoured() {
    let config = r#"
output-format = "concise"
fail-on = "error"
target-version = "2.0"
schema = "schemas/kestra.json"
extend-exclude = ["flows/skip"]

[lint]
extend-select = ["B005"]
per-file-ignores = { "flows/legacy/**" = ["K1"] }

[lint.severity]
B001 = "error"

[lint.policy]
namespaces = ["company.*"]
required-labels = ["team"]
flows-root = "flows"
"#;
    let dir = repo(config);
    let schema = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/kestra-core.schema.json"),
    )
    .unwrap();
    write(dir.path(), "schemas/kestra.json", &schema);
    write(dir.path(), "flows/legacy/old.yml", BAD);
    write(dir.path(), "flows/skip/x.yml", BAD);
    fs::remove_file(dir.path().join("flows/team/bad.yml")).unwrap();
    write(
        dir.path(),
        "flows/company.team/hello.yml",
        &format!(
            "{}    retry:\n      type: constant\n      interval: PT1S\nlabels:\n  team: data\n",
            WARN.replace(
                "tasks:\n",
                "tasks:\n  - id: x\n    type: com.example.Missing\n"
            )
        ),
    );
    write(
        dir.path(),
        "flows/sandbox/x.yml",
        &BAD.replace("company.team", "sandbox"),
    );
    let out = check_in(dir.path())
        .arg("-q")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            // `schema` is honoured: with a schema file, a type no layer knows is an error
            // (the embedded plugin schemas still describe the Query task).
            "flows/company.team/hello.yml:5:11: error[S005]: unknown task type `com.example.Missing`",
            "flows/company.team/hello.yml:9:15: error[B001]: `password` holds a plaintext credential",
            "flows/company.team/hello.yml:10:5: warning[B005]: retry has no `maxAttempts` and no `maxDuration`",
            "flows/legacy/old.yml:1:1: warning[B003]: flow has no `team` label",
            "flows/legacy/old.yml:1:5: warning[B004]: flow `company.team.hello` is at `legacy/old.yml`, expected `company.team/hello.yml` under the flows root",
            // Across files: both files define company.team.hello (K1 ignores do not cover K7).
            "flows/legacy/old.yml:1:5: error[K701]: flow `company.team.hello` is also defined in flows/company.team/hello.yml",
            "flows/sandbox/x.yml:1:1: warning[B003]: flow has no `team` label",
            "flows/sandbox/x.yml:1:5: warning[B004]: flow `sandbox.hello` is at `sandbox/x.yml`, expected `sandbox/hello.yml` under the flows root",
            "flows/sandbox/x.yml:2:12: warning[B002]: namespace `sandbox` is not an allowed namespace",
            "flows/sandbox/x.yml:7:9: error[K102]: duplicate task id `say`",
        ]
    );
    bin()
        .current_dir(dir.path())
        .args(["check", "--show-settings"])
        .assert()
        .stdout(contains(
            "target-version = \"2.0\"  # from kestra-lint.toml\nschema = \"schemas/kestra.json\"\n",
        ))
        .stdout(contains("per-file-ignores.\"flows/legacy/**\" = [\"K1\"]"))
        .stdout(contains("policy.flows-root = \"flows\""));
}

#[test]
fn bad_configs_exit_two_naming_file_and_line() {
    let cases = [
        (
            "[lint]\nselect = [\"K\"]\nbogus = 1\n",
            "kestra-lint.toml:3:1: unknown field `bogus`",
        ),
        (
            "[lint]\nignore = [\"K1\", \"Q42\"]\n",
            "kestra-lint.toml:2:17: unknown rule code `Q42` in `ignore`",
        ),
        (
            "extend-exclude = [\"{a\"]\n",
            "kestra-lint.toml:1:19: bad glob in `extend-exclude`",
        ),
        ("[lint\nselect = []\n", "kestra-lint.toml:1:"),
        (
            "[lint.severity]\nK102 = \"fatal\"\n",
            "kestra-lint.toml:2:8: invalid severity `fatal`",
        ),
    ];
    for (config, message) in cases {
        let dir = repo(config);
        check_in(dir.path())
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(message));
    }
    bin()
        .args(["check", "--isolated", "--select", "K9"])
        .assert()
        .code(2)
        .stderr(contains("unknown rule code `K9` in `--select`"));
}

#[test]
fn suppressions_and_the_unused_suppression_rule() {
    let dir = tempfile::tempdir().unwrap();
    let flow = BAD.replace(
        "  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: again\n",
        "  # kestra-lint: ignore[K102] kept for the old dashboard\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: again # kestra-lint: ignore[Y003, K012]\n",
    );
    write(dir.path(), "flow.yml", &flow);
    check_in(dir.path())
        .args(["--isolated", "flow.yml"])
        .assert()
        .code(0)
        .stdout(contains(
            "flow.yml:10:20: warning[L001]: [*] unused suppression for `Y003`",
        ))
        .stdout(contains(
            "flow.yml:10:48: warning[L002]: unknown rule code `K012` in a suppression",
        ))
        .stdout(contains("K102").not());
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "flows/a.yml", BAD);
    // Another id, so the two files do not define the same flow (K701).
    let warn = WARN.replace("id: hello", "id: warn");
    write(d, "flows/b.yml", &warn);
    check_in(d)
        .args([
            "--isolated",
            "--ignore",
            "S006",
            "--write-baseline",
            "baseline.json",
        ])
        .assert()
        .code(0)
        .stdout("Wrote 2 findings to baseline.json.\n");
    let text = fs::read_to_string(d.join("baseline.json")).unwrap();
    assert!(text.starts_with("{\n  \"version\": 1,\n  \"findings\": [\n    {\n      \"code\": \"K102\",\n      \"path\": \"flows/a.yml\",\n      \"fingerprint\": \""));

    check_in(d)
        .args([
            "--isolated",
            "--ignore",
            "S006",
            "--baseline",
            "baseline.json",
        ])
        .assert()
        .code(0)
        .stdout(contains("All checks passed (2 flows checked in "))
        .stdout(contains("Baseline: 2 findings hidden, 0 stale entries.\n"));

    // Lines shift above the old finding and a new duplicate appears: only the new one is shown.
    let shifted = format!(
        "# moved down\n{}  - id: again\n    type: io.kestra.plugin.core.log.Log\n    message: x\n  - id: again\n    type: io.kestra.plugin.core.log.Log\n    message: y\n",
        BAD.replace("namespace: company.team\n", "namespace: company.team\ndescription: new\n")
    );
    write(d, "flows/a.yml", &shifted);
    check_in(d)
        .args([
            "--isolated",
            "--ignore",
            "S006",
            "--baseline",
            "baseline.json",
        ])
        .assert()
        .code(1)
        .stdout(contains(
            "flows/a.yml:15:9: error[K102]: duplicate task id `again`",
        ))
        .stdout(contains("`say`").not())
        .stdout(contains("Baseline: 2 findings hidden, 0 stale entries.\n"));

    // Fixing the old finding leaves a stale entry.
    write(
        d,
        "flows/b.yml",
        &warn.replace("hunter2", "\"{{ secret('PG') }}\""),
    );
    check_in(d)
        .args([
            "--isolated",
            "--ignore",
            "S006",
            "--baseline",
            "baseline.json",
        ])
        .assert()
        .stdout(contains("Baseline: 1 finding hidden, 1 stale entry.\n"));
    check_in(d)
        .args(["--isolated", "--ignore", "S006", "--baseline", "nope.json"])
        .assert()
        .code(2)
        .stderr(contains("nope.json: cannot read"));
}

mod rule_docs {
    use super::*;

    fn stdout(args: &[&str]) -> String {
        let out = bin()
            .args(args)
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_rule_as_text() {
        insta::assert_snapshot!("rule_b001", stdout(&["rule", "B001"]));
        insta::assert_snapshot!("rule_l001", stdout(&["rule", "unused-suppression"]));
    }

    #[test]
    fn every_rule_as_a_table() {
        insta::assert_snapshot!("rule_all", stdout(&["rule", "--all"]));
    }

    #[test]
    fn a_retired_code_shows_its_successor() {
        let out = stdout(&["rule", "K204"]);
        assert!(
            out.starts_with("K204 is a retired code: its check is now P108"),
            "{out}"
        );
        assert!(out.contains("# P108 dash-in-reference"), "{out}");
    }

    #[test]
    fn json_for_tools() {
        insta::assert_snapshot!(
            "rule_k102_json",
            stdout(&["rule", "K102", "--output-format", "json"])
        );
        let all: serde_json::Value =
            serde_json::from_str(&stdout(&["rule", "--all", "--output-format", "json"])).unwrap();
        let rules = all.as_array().unwrap();
        assert_eq!(rules.len(), kestra_lint::rules::all().len());
        for r in rules {
            let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(
                keys,
                [
                    "code",
                    "name",
                    "severity",
                    "summary",
                    "fixable",
                    "enabled_by_default",
                    "versions",
                    "docs"
                ]
            );
        }
    }
}

#[test]
fn each_file_uses_the_config_closest_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("repo/.git")).unwrap();
    write(d, "repo/kestra-lint.toml", "[lint]\nignore = [\"K102\"]\n");
    write(d, "repo/flows/a.yml", BAD);
    // Nested: the closest file applies, whole (it does not ignore K102).
    write(
        d,
        "repo/flows/strict/kestra-lint.toml",
        "[lint]\nselect = [\"K\"]\n",
    );
    write(d, "repo/flows/strict/b.yml", &BAD.replace("hello", "other"));
    // Run from outside the repository: its config still applies to its files.
    let out = bin()
        .current_dir(d)
        .args(["check", "--output-format", "concise", "-q", "repo/flows"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(
        stdout,
        "repo/flows/strict/b.yml:7:9: error[K102]: duplicate task id `say`\n"
    );
    // A nested config's excludes hold below it (globs from its folder).
    write(
        d,
        "repo/flows/strict/kestra-lint.toml",
        "extend-exclude = [\"old/**\"]\n[lint]\nselect = [\"K\"]\n",
    );
    write(
        d,
        "repo/flows/strict/old/c.yml",
        &BAD.replace("hello", "old"),
    );
    let out = bin()
        .current_dir(d)
        .args(["check", "--output-format", "concise", "-q", "repo/flows"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("old/c.yml"), "{stdout}");
    assert!(stdout.contains("strict/b.yml"), "{stdout}");
    // --config and --isolated give every file the same settings.
    bin()
        .current_dir(d)
        .args([
            "check",
            "--isolated",
            "-q",
            "--output-format",
            "concise",
            "repo/flows",
        ])
        .assert()
        .code(1)
        .stdout(contains("repo/flows/a.yml:7:9"));
}

#[test]
fn pyproject_extend_and_required_version() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join(".git")).unwrap();
    write(d, "flows/a.yml", BAD);
    // A pyproject.toml without [tool.kestra-lint] is not a config.
    write(d, "pyproject.toml", "[project]\nname = \"x\"\n");
    check_in(d).arg("flows").assert().code(1);
    write(
        d,
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.kestra-lint.lint]\nignore = [\"K102\"]\n",
    );
    check_in(d).arg("flows").assert().code(0);
    write(d, "pyproject.toml", "[tool.kestra-lint]\nbogus = 1\n");
    check_in(d)
        .arg("flows")
        .assert()
        .code(2)
        .stderr(contains("pyproject.toml:2:1: unknown field `bogus`"));
    fs::remove_file(d.join("pyproject.toml")).unwrap();

    // `extend`: the base's settings, the extending file's on top.
    write(
        d,
        "base.toml",
        "fail-on = \"warning\"\n[lint]\nignore = [\"K102\"]\n",
    );
    write(d, "kestra-lint.toml", "extend = \"base.toml\"\n");
    check_in(d).arg("flows").assert().code(0);
    write(d, "flows/w.yml", &WARN.replace("hello", "warn"));
    check_in(d).arg("flows").assert().code(1);
    write(
        d,
        "kestra-lint.toml",
        "extend = \"base.toml\"\nfail-on = \"error\"\n",
    );
    check_in(d).arg("flows").assert().code(0);
    write(d, "base.toml", "extend = \"kestra-lint.toml\"\n");
    check_in(d)
        .arg("flows")
        .assert()
        .code(2)
        .stderr(contains("`extend` cycle"));

    // `required-version`.
    write(d, "kestra-lint.toml", "required-version = \">=0.1\"\n");
    check_in(d).arg("flows").assert().code(1);
    write(d, "kestra-lint.toml", "required-version = \">=99.0\"\n");
    check_in(d)
        .arg("flows")
        .assert()
        .code(2)
        .stderr(contains("kestra-lint.toml:1:20: this is kestra-lint "))
        .stderr(contains("the config requires `>=99.0`"));
}

#[test]
fn a_nested_config_does_not_narrow_the_repository_index() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join(".git")).unwrap();
    let plain = |id: &str| {
        format!("id: {id}\nnamespace: company.team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n")
    };
    write(d, "flows/ingest.yml", &plain("ingest"));
    write(d, "flows/other.yml", &plain("other"));
    write(
        d,
        "flows/sub/kestra-lint.toml",
        "[lint]\nextend-select = [\"K7\"]\n",
    );
    write(
        d,
        "flows/sub/caller.yml",
        "id: caller\nnamespace: company.team\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: company.team\n    flowId: ingest\n",
    );
    check_in(d)
        .args(["-q", "flows/sub/caller.yml"])
        .assert()
        .code(0)
        .stdout("");
    write(d, "flows/sub/copy.yml", &plain("other"));
    check_in(d)
        .args(["-q", "flows/sub/copy.yml"])
        .assert()
        .code(1)
        .stdout(contains("is also defined in flows/other.yml"));
}
