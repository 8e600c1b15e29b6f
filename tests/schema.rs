//! `--schema`, `schema pull` against a real local HTTP server, `schema info`, and a generated
//! Kestra-shaped schema with hundreds of task types.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const MINI: &str = include_str!("fixtures/schema/served-mini.json");

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("kestra-lint").unwrap();
    for k in [
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "KESTRA_API_TOKEN",
        "KESTRA_USERNAME",
        "KESTRA_PASSWORD",
    ] {
        cmd.env_remove(k);
    }
    cmd
}

fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// A throwaway repository (a `.git` folder is enough for root detection).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

/// Serve one canned answer per path, on loopback; record each request's head.
fn serve(routes: Vec<(&'static str, u16, String)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_lowercase();
            let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
            log.lock().unwrap().push(head);
            let (status, body) = routes
                .iter()
                .find(|(p, _, _)| *p == path)
                .map(|(_, s, b)| (*s, b.clone()))
                .unwrap_or((404, "not found".to_string()));
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (addr, seen)
}

const FLOW: &str = "id: f\nnamespace: company.team\ntasks:\n  - id: q\n    type: io.kestra.plugin.jdbc.postgresql.Query\n    sql: select 1\n    fetchSize: lots\n  - id: r\n    type: com.example.kestra.Upload\n";

#[test]
fn schema_flag_validates_plugin_tasks_and_rejects_unknown_types() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "served.json", MINI);
    write(dir.path(), "f.yml", FLOW);
    bin()
        .current_dir(dir.path())
        .args(["check", "--output-format", "concise", "--schema", "served.json", "f.yml"])
        .assert()
        .code(1)
        .stdout(contains("f.yml:7:16: error[S003]: invalid value for `fetchSize`: expected an integer or a `{{ … }}` expression, found a string"))
        .stdout(contains("f.yml:9:11: error[S005]: unknown task type `com.example.kestra.Upload`"));
}

#[test]
fn a_type_the_served_schema_lacks_falls_back_to_the_embedded_plugins() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "served.json", MINI);
    write(
        dir.path(),
        "f.yml",
        "id: f\nnamespace: company.team\ntasks:\n  - id: r\n    type: io.kestra.plugin.aws.s3.Upload\n    bucket: b\n    form: x\n",
    );
    bin()
        .current_dir(dir.path())
        .args([
            "check",
            "--output-format",
            "concise",
            "--schema",
            "served.json",
            "f.yml",
        ])
        .assert()
        .code(1)
        .stdout(contains(
            "f.yml:7:5: error[S001]: unknown property `form` for `Upload` task",
        ))
        .stdout(contains(
            "error[S002]: `Upload` task is missing required property `key`",
        ));
}

#[test]
fn a_file_that_is_not_a_schema_is_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.json", "{\"definitions\": {}}");
    write(dir.path(), "f.yml", FLOW);
    bin()
        .current_dir(dir.path())
        .args(["check", "--schema", "bad.json", "f.yml"])
        .assert()
        .code(2)
        .stderr(contains("bad.json is not a Kestra flow schema"));
    bin()
        .current_dir(dir.path())
        .args(["check", "--schema", "missing.json", "f.yml"])
        .assert()
        .code(2)
        .stderr(contains("cannot read schema missing.json"));
}

#[test]
fn pull_pins_the_schema_and_later_runs_use_it() {
    let (server, seen) = serve(vec![
        ("/api/v1/plugins/schemas/flow", 200, MINI.to_string()),
        (
            "/api/v1/configs",
            200,
            "{\"version\": \"1.3.5\"}".to_string(),
        ),
    ]);
    let dir = repo();
    write(dir.path(), "flows/f.yml", FLOW);
    bin()
        .current_dir(dir.path().join("flows"))
        .env("KESTRA_API_TOKEN", "s3cr3t-token")
        .args(["schema", "pull", "--server", &server])
        .assert()
        .code(0)
        .stdout(contains(
            "Kestra 1.3.5: 6 definitions, written to ../.kestra/flow-schema.json",
        ))
        .stdout(contains("s3cr3t").not())
        .stderr(contains("s3cr3t").not());
    assert!(seen.lock().unwrap()[0].contains("authorization: bearer s3cr3t-token"));
    let meta = fs::read_to_string(dir.path().join(".kestra/flow-schema.meta.json")).unwrap();
    assert!(meta.contains("\"kestraVersion\": \"1.3.5\""), "{meta}");
    assert!(meta.contains("\"sha256\": \""));
    // A check anywhere in the repository now uses the pinned schema.
    bin()
        .current_dir(dir.path().join("flows"))
        .args(["check", "--output-format", "concise", "f.yml"])
        .assert()
        .code(1)
        .stdout(contains(
            "error[S005]: unknown task type `com.example.kestra.Upload`",
        ));
    bin()
        .current_dir(dir.path().join("flows"))
        .args(["schema", "info"])
        .assert()
        .code(0)
        .stdout(contains(
            "schema: ../.kestra/flow-schema.json (pinned by `kestra-lint schema pull`)",
        ))
        .stdout(contains("kestra version: 1.3.5"))
        .stdout(contains("(matches)"))
        .stdout(contains("1. pinned server schema: 6 definitions, 2 task, "))
        .stdout(contains("2. embedded core: "))
        .stdout(contains("3. embedded plugins: "));
}

#[test]
fn pull_falls_back_to_the_default_tenant_and_sends_basic_auth() {
    let (server, seen) = serve(vec![(
        "/api/v1/main/plugins/schemas/flow",
        200,
        MINI.to_string(),
    )]);
    let dir = repo();
    bin()
        .current_dir(dir.path())
        .env("KESTRA_USERNAME", "admin")
        .env("KESTRA_PASSWORD", "pw")
        .args([
            "schema",
            "pull",
            "--server",
            &server,
            "--output",
            "schema.json",
        ])
        .assert()
        .code(0);
    assert!(dir.path().join("schema.json").is_file());
    assert!(seen.lock().unwrap()[1].contains("authorization: basic ywrtaw46chc="));
}

fn pull_fails(routes: Vec<(&'static str, u16, String)>, message: &str) {
    let (server, _) = serve(routes);
    let dir = repo();
    bin()
        .current_dir(dir.path())
        .args(["schema", "pull", "--server", &server])
        .assert()
        .code(2)
        .stderr(contains(message));
    assert!(
        !dir.path().join(".kestra").exists(),
        "nothing may be written"
    );
}

#[test]
fn pull_reports_401() {
    pull_fails(
        vec![("/api/v1/plugins/schemas/flow", 401, "{}".into())],
        "answered 401: not authorised; set KESTRA_API_TOKEN",
    );
}

#[test]
fn pull_reports_404() {
    pull_fails(vec![], "answered 404: no flow schema there");
}

#[test]
fn pull_reports_a_body_that_is_not_a_schema() {
    pull_fails(
        vec![(
            "/api/v1/plugins/schemas/flow",
            200,
            "<html>login</html>".into(),
        )],
        "did not answer with a Kestra flow schema",
    );
}

#[test]
fn pull_reports_a_server_that_is_down() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = repo();
    bin()
        .current_dir(dir.path())
        .args([
            "schema",
            "pull",
            "--server",
            &format!("http://127.0.0.1:{port}"),
        ])
        .assert()
        .code(2)
        .stderr(contains("cannot reach http://127.0.0.1:"));
    assert!(!dir.path().join(".kestra").exists());
}

#[test]
fn info_describes_the_embedded_schema() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .current_dir(dir.path())
        .args(["schema", "info", "--isolated"])
        .assert()
        .code(0)
        .stdout(contains(
            "target: Kestra 2.0 (the default: the current release line)",
        ))
        .stdout(contains("schema: the embedded core schema (Kestra 2.0, "))
        .stdout(contains(
            "1. embedded core: 125 definitions, 52 task, 7 trigger, 0 condition",
        ))
        .stdout(contains("2. embedded plugins: "))
        .stdout(contains("     scripts: "))
        .stdout(contains("(kestra-io/plugin-scripts@"));
    bin()
        .current_dir(dir.path())
        .args(["schema", "info", "--isolated", "--target-version", "1.3"])
        .assert()
        .code(0)
        .stdout(contains("target: Kestra 1.3 (from --target-version)"))
        .stdout(contains(
            "schema: the embedded core schema (Kestra 1.3.19, ",
        ))
        .stdout(contains(
            "1. embedded core: 157 definitions, 60 task, 5 trigger",
        ));
}

/// A Kestra-shaped schema at scale: hundreds of plugin definitions behind an inline `anyOf`,
/// the unescaped `.*{{.*}}.*` pattern, flowable tasks whose children use the same union.
#[test]
fn generated_schema_in_the_served_shape() {
    let mut defs = serde_json::Map::new();
    let mut refs = Vec::new();
    for i in 0..400 {
        let name = format!("io.kestra.plugin.gen{}.Task{i}", i % 17);
        refs.push(serde_json::json!({"$ref": format!("#/definitions/{name}")}));
        defs.insert(name.clone(), serde_json::json!({
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": "^[a-zA-Z0-9][a-zA-Z0-9_-]*"},
                "type": {"const": name},
                "size": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": ".*{{.*}}.*"}], "$dynamic": true},
                "mode": {"type": "string", "enum": ["FAST", "SAFE"]},
            },
            "required": ["id", "type"],
        }));
    }
    let union = serde_json::json!({"anyOf": refs});
    let flowable = "io.kestra.plugin.gen.Group";
    refs.push(serde_json::json!({"$ref": format!("#/definitions/{flowable}")}));
    let union_all = serde_json::json!({"anyOf": refs});
    defs.insert(flowable.into(), serde_json::json!({
        "type": "object",
        "properties": {"id": {"type": "string"}, "type": {"const": flowable}, "tasks": {"type": "array", "items": union}},
        "required": ["id", "type", "tasks"],
    }));
    defs.insert("io.kestra.core.models.flows.Flow".into(), serde_json::json!({
        "type": "object",
        "properties": {"id": {"type": "string"}, "namespace": {"type": "string"}, "tasks": {"type": "array", "items": union_all}},
        "required": ["id", "namespace", "tasks"],
    }));
    let doc = serde_json::json!({"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "#/definitions/io.kestra.core.models.flows.Flow", "definitions": defs});
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "big.json", &doc.to_string());
    write(
        dir.path(),
        "f.yml",
        "id: f\nnamespace: n\ntasks:\n  - id: g\n    type: io.kestra.plugin.gen.Group\n    tasks:\n      - id: a\n        type: io.kestra.plugin.gen3.Task3\n        size: \"{{ inputs.n }}\"\n        mode: FASTT\n      - id: b\n        type: io.kestra.plugin.gen3.Task3\n        sise: 3\n",
    );
    bin()
        .current_dir(dir.path())
        .args([
            "check",
            "--output-format",
            "concise",
            "--schema",
            "big.json",
            "f.yml",
        ])
        .assert()
        .code(1)
        .stdout(contains(
            "f.yml:10:15: error[S004]: `FASTT` is not an allowed value for `mode`",
        ))
        .stdout(contains(
            "f.yml:13:9: error[S001]: unknown property `sise` for `Task3` task",
        ))
        .stdout(contains("S003").not());
}
