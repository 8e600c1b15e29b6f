//! Machine formats read back by parsers (round trips), and the CLI around them: stdout holds
//! only the report, `--output-file`, `--statistics`, stdin, exit policy and closed pipes.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

const BAD: &str = "id: hello\nnamespace: company.team\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: \"50%, done: yes\"\n";
const WARN: &str = "id: anchors\nnamespace: company.team\nvariables:\n  a: &a x\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";
const GOOD: &str = "id: good\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("flows/bad.yml", BAD),
        ("flows/warn.yml", WARN),
        ("flows/good.yml", GOOD),
        ("ci/workflow.yml", "name: ci\non: push\n"),
    ] {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn check(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("kestra-lint")
        .unwrap()
        .current_dir(dir)
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn json_and_json_lines_round_trip() {
    let dir = project();
    let (code, out, err) = check(dir.path(), &["--output-format", "json"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("Found 1 error and 1 warning"), "{err}");
    let all = json(&out);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2);
    let dup = all.iter().find(|d| d["code"] == "K102").unwrap();
    assert_eq!(dup["name"], "duplicate-task-id");
    assert_eq!(dup["severity"], "error");
    assert_eq!(dup["filename"], "flows/bad.yml");
    assert_eq!(dup["location"], serde_json::json!({"line": 7, "column": 9}));
    assert_eq!(
        dup["end_location"],
        serde_json::json!({"line": 7, "column": 12})
    );
    let (start, end) = (
        dup["offset"].as_u64().unwrap() as usize,
        dup["end_offset"].as_u64().unwrap() as usize,
    );
    assert_eq!(&BAD[start..end], "say");
    assert_eq!(dup["fix"], Value::Null);
    assert_eq!(dup["url"], Value::Null);
    assert!(dup["help"].is_string());
    assert_eq!(dup["related"][0]["location"]["line"], 4);

    let (_, lines, _) = check(dir.path(), &["--output-format", "json-lines"]);
    let parsed: Vec<Value> = lines.lines().map(json).collect();
    assert_eq!(&parsed, all);
}

#[test]
fn sarif_round_trip() {
    let dir = project();
    let (code, out, err) = check(dir.path(), &["--output-format", "sarif"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("Found"), "{err}");
    let log = json(&out);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .starts_with("file:///"));
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "kestra-lint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let all = kestra_lint::rules::all();
    assert_eq!(rules.len(), all.len());
    for (rule, meta) in rules.iter().zip(all.iter().map(|r| r.meta())) {
        assert_eq!(rule["id"], meta.code);
        assert_eq!(rule["name"], meta.name);
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(rule["fullDescription"]["text"].is_string());
        assert_eq!(rule["help"]["markdown"], meta.docs);
        assert!(rule["defaultConfiguration"]["level"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let mut prints = Vec::new();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("flows/"));
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        prints.push(result["partialFingerprints"]["kestraLint/v1"].clone());
    }
    prints.dedup();
    assert_eq!(prints.len(), 2);
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "warning"]);
}

#[test]
fn gitlab_round_trip_and_fingerprints_survive_line_shifts() {
    let dir = project();
    let (_, out, _) = check(dir.path(), &["--output-format", "gitlab"]);
    let issues = json(&out);
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), 2);
    for issue in issues {
        assert!(
            issue["description"].as_str().unwrap().starts_with("K102: ")
                || issue["description"].as_str().unwrap().starts_with("Y003: ")
        );
        assert!(issue["check_name"].is_string());
        assert!(["info", "minor", "major", "critical", "blocker"]
            .contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["path"]
            .as_str()
            .unwrap()
            .starts_with("flows/"));
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let print = |v: &Value, code: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|i| i["check_name"] == code)
            .unwrap()["fingerprint"]
            .clone()
    };
    // The same finding three lines lower keeps its fingerprint; so does a second run.
    fs::write(
        dir.path().join("flows/bad.yml"),
        format!("# a\n# b\n\n{BAD}"),
    )
    .unwrap();
    let (_, shifted, _) = check(dir.path(), &["--output-format", "gitlab"]);
    let shifted = json(&shifted);
    assert_eq!(
        print(&shifted, "K102"),
        print(&out.parse().unwrap(), "K102")
    );
    let line = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|i| i["check_name"] == "K102")
            .unwrap()["location"]["lines"]["begin"]
            .clone()
    };
    assert_eq!(line(&shifted), 10);
    let (_, again, _) = check(dir.path(), &["--output-format", "gitlab"]);
    assert_eq!(json(&again), shifted);
}

#[test]
fn junit_parses_as_xml_with_one_case_per_flow() {
    use quick_xml::events::Event;
    let dir = project();
    let (code, out, _) = check(dir.path(), &["--output-format", "junit"]);
    assert_eq!(code, Some(1));
    let mut reader = quick_xml::Reader::from_str(&out);
    let (mut suites, mut cases, mut failures) = (0, Vec::new(), 0);
    let mut failure_text = String::new();
    let mut in_failure = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "testsuite" => {
                    suites += 1;
                    let tests = e.try_get_attribute("tests").unwrap().unwrap();
                    assert_eq!(tests.value, "3");
                }
                "testcase" => {
                    let name = e.try_get_attribute("name").unwrap().unwrap();
                    cases.push(name.value.to_string());
                }
                "failure" => {
                    failures += 1;
                    in_failure = true;
                }
                _ => {}
            },
            Event::Text(t) if in_failure => {
                failure_text.push_str(&t);
            }
            Event::End(e) if e.name().as_ref() == "failure" => in_failure = false,
            _ => {}
        }
    }
    assert_eq!(suites, 1);
    assert_eq!(cases, ["flows/bad.yml", "flows/good.yml", "flows/warn.yml"]);
    assert_eq!(failures, 1);
    assert!(
        failure_text.contains("error[K102]: duplicate task id `say`"),
        "{failure_text}"
    );
    // With --fail-on warning the flow with a warning fails too.
    let (code, out, _) = check(
        dir.path(),
        &["--output-format", "junit", "--fail-on", "warning"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(out.matches("<failure ").count(), 2);
}

#[test]
fn github_annotations() {
    let dir = project();
    let (code, out, err) = check(dir.path(), &["--output-format", "github"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("Found"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(
        "::error file=flows/bad.yml,line=7,endLine=7,col=9,endColumn=12,title=K102::duplicate task id `say`%0Ahelp: "
    ), "{}", lines[0]);
    assert!(lines[1].starts_with("::warning file=flows/warn.yml,line=4,"));
}

#[test]
fn exit_code_follows_fail_on_and_exit_zero_never_the_format() {
    let dir = project();
    for format in [
        "full",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "github",
        "gitlab",
        "junit",
    ] {
        let run = |extra: &[&str]| {
            let mut args = vec!["--output-format", format];
            args.extend_from_slice(extra);
            check(dir.path(), &args).0
        };
        assert_eq!(run(&[]), Some(1), "{format}");
        assert_eq!(run(&["flows/warn.yml"]), Some(0), "{format}");
        assert_eq!(
            run(&["--fail-on", "warning", "flows/warn.yml"]),
            Some(1),
            "{format}"
        );
        assert_eq!(run(&["--exit-zero"]), Some(0), "{format}");
        assert_eq!(run(&["--exit-zero", "missing.yml"]), Some(2), "{format}");
    }
}

#[test]
fn quiet_prints_findings_only() {
    let dir = project();
    let (_, out, err) = check(dir.path(), &["-q", "--output-format", "concise"]);
    assert_eq!(out.lines().count(), 2);
    assert!(err.is_empty(), "{err}");
    let (_, out, err) = check(dir.path(), &["-q", "--output-format", "json"]);
    assert_eq!(json(&out).as_array().unwrap().len(), 2);
    assert!(err.is_empty(), "{err}");
}

#[test]
fn statistics_count_per_code() {
    let dir = project();
    fs::write(dir.path().join("flows/bad2.yml"), BAD).unwrap();
    let (code, out, _) = check(dir.path(), &["--statistics", "-q"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        out.lines()
            .map(str::split_whitespace)
            .map(Iterator::collect::<Vec<_>>)
            .collect::<Vec<_>>(),
        [
            ["2", "K102", "duplicate-task-id", "error"],
            // bad2.yml is a copy of bad.yml: the same namespace and id twice.
            ["1", "K701", "duplicate-flow", "error"],
            ["1", "Y003", "yaml-anchor", "warning"]
        ]
    );
    let (_, out, _) = check(dir.path(), &["--statistics", "--output-format", "json"]);
    assert_eq!(json(&out)[0]["count"], 2);
}

#[test]
fn output_file_is_written_and_unwritable_targets_exit_two() {
    let dir = project();
    let (code, out, err) = check(
        dir.path(),
        &["--output-format", "sarif", "-o", "reports.sarif"],
    );
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    assert!(err.contains("Found"));
    json(&fs::read_to_string(dir.path().join("reports.sarif")).unwrap());
    // A folder that is a file, and a folder that does not exist.
    for target in ["flows/good.yml/x.json", "nowhere/x.json"] {
        let (code, out, err) = check(dir.path(), &["--output-format", "json", "-o", target]);
        assert_eq!(code, Some(2), "{target}");
        assert!(out.is_empty());
        assert!(
            err.contains(&format!("kestra-lint: error: cannot write {target}")),
            "{err}"
        );
    }
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_stdout_is_exit_two() {
    let dir = project();
    let full = fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else { return };
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kestra-lint"))
        .current_dir(dir.path())
        .args(["check", "--output-format", "json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to stdout"));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let dir = project();
    for i in 0..300 {
        fs::write(dir.path().join(format!("flows/many{i:03}.yml")), BAD).unwrap();
    }
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("kestra-lint"))
        .current_dir(dir.path())
        .args(["check", "--output-format", "full", "--threads", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the reader is gone, like `| head -c 16`.
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn stdin_is_linted_as_the_named_file() {
    let dir = project();
    let run = |args: &[&str], input: &str| {
        Command::cargo_bin("kestra-lint")
            .unwrap()
            .current_dir(dir.path())
            .arg("check")
            .args(args)
            .write_stdin(input)
            .assert()
    };
    run(
        &[
            "--output-format",
            "concise",
            "--stdin-filename",
            "flows/edited.yml",
            "-",
        ],
        BAD,
    )
    .code(1)
    .stdout(contains(
        "flows/edited.yml:7:9: error[K102]: duplicate task id `say`",
    ));
    // Not a flow, but the user asked: linted anyway.
    run(&["--output-format", "concise", "-"], "name: ci\non: push\n")
        .code(1)
        .stdout(contains("-:1:1: error[K001]"));
    // --force-exclude honours the excludes for the stdin file name too.
    run(
        &[
            "--force-exclude",
            "--extend-exclude",
            "flows",
            "--stdin-filename",
            "flows/edited.yml",
            "-",
        ],
        BAD,
    )
    .code(0);
    run(&["-", "flows/good.yml"], BAD)
        .code(2)
        .stderr(contains("cannot be combined"));
}
