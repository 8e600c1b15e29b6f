//! `kestra-lint server` as an editor drives it: the binary is spawned and spoken to in
//! JSON-RPC over its stdin and stdout, as LSP clients do.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// Long enough for a slow CI machine; a healthy server answers in milliseconds.
const WAIT: Duration = Duration::from_secs(30);

const FLOW: &str = "id: hello\nnamespace: company.team\ninputs:\n  - id: name\n    type: STRING\ntasks:\n  - id: say\n    type: io.kestra.core.tasks.log.Log\n    message: \"é😀 {{ inputs.nmae }}\"\n  - id: greet\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ outputs.say }}\"\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for something else.
    backlog: Vec<Value>,
}

impl Client {
    fn start(root: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kestra-lint"))
            .arg("server")
            .current_dir(root)
            .env("XDG_CACHE_HOME", root.join(".cache"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Self {
            child,
            stdin,
            messages: rx,
            next_id: 0,
            backlog: Vec::new(),
        };
        let uri = uri_of(root);
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "capabilities": {},
                "workspaceFolders": [{"uri": uri, "name": "flows"}],
            }),
        );
        assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.messages.recv_timeout(WAIT).expect("an answer");
            if m["id"] == id && m.get("method").is_none() {
                assert!(m.get("error").is_none(), "{method} failed: {m}");
                return m["result"].clone();
            }
            self.backlog.push(m);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        if let Some(i) = self.backlog.iter().position(|m| is_publish_for(m, uri)) {
            let m = self.backlog.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let m = self.messages.recv_timeout(WAIT).expect("diagnostics");
            if is_publish_for(&m, uri) {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.backlog.push(m);
        }
    }

    fn stop(mut self) {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer, Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "exit after shutdown is 0, got {status}");
    }
}

fn is_publish_for(m: &Value, uri: &str) -> bool {
    m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn open(client: &mut Client, uri: &str, text: &str) -> Vec<Value> {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    client.diagnostics(uri)
}

fn position(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::create_dir_all(root.join("flows")).unwrap();
    let uri = uri_of(&root.join("flows/hello.yml"));
    (dir, uri)
}

#[test]
fn diagnostics_on_open_and_after_an_incremental_change() {
    let (dir, uri) = setup();
    let mut client = Client::start(&dir.path().canonicalize().unwrap());
    let diagnostics = open(&mut client, &uri, FLOW);
    assert_eq!(codes(&diagnostics), ["D001", "P103"]);
    // P103 points at `nmae` on line 9 (0-based 8), in UTF-16 code units: `é` counts one and
    // `😀` two.
    let p101 = &diagnostics[1];
    assert_eq!(p101["range"]["start"], position(8, 28));
    assert_eq!(p101["range"]["end"], position(8, 32));
    assert_eq!(p101["severity"], 1);
    assert_eq!(p101["source"], "kestra-lint");
    let href = p101["codeDescription"]["href"].as_str().unwrap();
    assert!(
        href.starts_with("file://") && href.ends_with("/P103.md"),
        "{href}"
    );
    let docs = std::fs::read_to_string(href.trim_start_matches("file://")).unwrap();
    assert!(docs.starts_with("# P103 unknown-input"), "{docs}");

    let change = |client: &mut Client, version: i32, start: Value, end: Value, text: &str| {
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": start, "end": end}, "text": text}],
            }),
        );
        client.diagnostics(&uri)
    };
    // An insertion right after the emoji moves the finding by one unit.
    let diagnostics = change(&mut client, 2, position(8, 17), position(8, 17), "x");
    assert_eq!(codes(&diagnostics), ["D001", "P103"]);
    assert_eq!(diagnostics[1]["range"]["start"], position(8, 29));
    // Fixing the typo in place clears it.
    let diagnostics = change(&mut client, 3, position(8, 29), position(8, 33), "name");
    assert_eq!(codes(&diagnostics), ["D001"]);
    // A new typo on another line.
    let diagnostics = change(&mut client, 4, position(11, 25), position(11, 28), "sax");
    assert_eq!(codes(&diagnostics), ["D001", "P101"]);
    assert_eq!(diagnostics[1]["range"]["start"], position(11, 25));
    assert_eq!(diagnostics[1]["range"]["end"], position(11, 28));
    client.stop();
}

#[test]
fn code_actions_fix_suppress_and_fix_all() {
    let (dir, uri) = setup();
    let mut client = Client::start(&dir.path().canonicalize().unwrap());
    let diagnostics = open(&mut client, &uri, FLOW);
    let d001 = diagnostics[0].clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": d001["range"],
            "context": {"diagnostics": [d001]},
        }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.iter().any(|t| t.starts_with("D001: ")), "{titles:?}");
    assert!(
        titles.contains(&"Suppress D001 with a comment"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Fix all safe kestra-lint findings"),
        "{titles:?}"
    );
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let edit = &fix["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "io.kestra.plugin.core.log.Log");
    assert_eq!(edit["range"]["start"], position(7, 10));
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress D001 with a comment")
        .unwrap();
    let edit = &suppress["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "  # kestra-lint: ignore[D001]");
    assert_eq!(edit["range"]["start"], position(7, 38));

    // A finding inside a block scalar is suppressed by a comment above its entry.
    let block = "id: hello\nnamespace: company.team\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: |\n      {{ outputs.nope.value }}\n";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": block}]}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(codes(&diagnostics), ["P101"]);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostics[0]["range"], "context": {"diagnostics": []}}),
    );
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress P101 with a comment")
        .unwrap();
    let edit = &suppress["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "    # kestra-lint: ignore[P101]\n");
    assert_eq!(edit["range"]["start"], position(5, 0));
    client.stop();
}

#[test]
fn hover_completion_definition_and_symbols() {
    let (dir, uri) = setup();
    let root = dir.path().canonicalize().unwrap();
    // A subflow target elsewhere in the workspace, known from the repository index.
    std::fs::write(
        root.join("flows/child.yml"),
        "id: child\nnamespace: company.team\ntasks:\n  - id: one\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n",
    )
    .unwrap();
    let mut client = Client::start(&root);
    let text = "id: hello\nnamespace: company.team\ninputs:\n  - id: name\n    type: STRING\nvariables:\n  greeting: hi\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ inputs.name }} {{ vars.greeting }}\"\n    level: INFO\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: company.team\n    flowId: child\n  - id: after\n    type: io.kestra.plugin.core.debug.Return\n    format: \"{{ outputs.say }}\"\n";
    let diagnostics = open(&mut client, &uri, text);
    assert_eq!(codes(&diagnostics), Vec::<&str>::new(), "{diagnostics:?}");

    // Hover on a property key: what the schema says.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(11, 5)}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("**`level`**"), "{value}");
    assert!(
        value.contains("Default: `INFO`") && value.contains("`DEBUG`"),
        "{value}"
    );
    // On a `type:` value: the type's properties.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(9, 20)}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("- `message`") && value.contains("(required)"),
        "{value}"
    );

    // Completion of an expression: the flow's input ids.
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(10, 24)}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["name"]);

    // Definition of `inputs.name` and `outputs.say`; of the Subflow target in another file.
    let found = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(10, 22)}),
    );
    assert_eq!(found[0]["uri"], uri);
    assert_eq!(found[0]["range"]["start"], position(3, 8));
    let found = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(18, 26)}),
    );
    assert_eq!(found[0]["range"]["start"], position(8, 8));
    let found = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(15, 13)}),
    );
    assert_eq!(found[0]["uri"], uri_of(&root.join("flows/child.yml")));
    assert_eq!(found[0]["range"]["start"], position(0, 4));
    // References of the task `say`: its declaration and `outputs.say`.
    let refs = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": position(8, 9), "context": {"includeDeclaration": true}}),
    );
    let starts: Vec<&Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["range"]["start"])
        .collect();
    assert_eq!(starts, [&position(8, 8), &position(18, 24)]);

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let tasks = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "tasks")
        .unwrap();
    let names: Vec<&str> = tasks["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["say", "call", "after"]);
    client.stop();
}

#[test]
fn completion_of_types_keys_and_enums() {
    let (dir, uri) = setup();
    let mut client = Client::start(&dir.path().canonicalize().unwrap());
    let text = "id: hello\nnamespace: company.team\ntasks:\n  - id: say\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n    level: \n";
    open(&mut client, &uri, text);
    let labels = |items: &Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(6, 11)}),
    );
    assert_eq!(labels(&items), ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"]);
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(4, 10)}),
    );
    let types = labels(&items);
    assert!(
        types.contains(&"io.kestra.plugin.core.flow.Subflow".to_string()),
        "{types:?}"
    );
    assert!(
        !types.iter().any(|t| t.contains("trigger.Schedule")),
        "no triggers among tasks"
    );
    // A key being typed on a new line: the Log task's other properties.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": position(6, 0), "end": position(7, 0)}, "text": "    tim\n"}],
        }),
    );
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(6, 7)}),
    );
    let keys = labels(&items);
    assert!(
        keys.contains(&"timeout".to_string()) && keys.contains(&"level".to_string()),
        "{keys:?}"
    );
    assert!(
        !keys.contains(&"message".to_string()),
        "present keys are not offered: {keys:?}"
    );
    client.stop();
}

#[test]
fn config_changes_reload_the_settings() {
    let (dir, uri) = setup();
    let root = dir.path().canonicalize().unwrap();
    let mut client = Client::start(&root);
    assert_eq!(codes(&open(&mut client, &uri, FLOW)), ["D001", "P103"]);
    std::fs::write(
        root.join("kestra-lint.toml"),
        "[lint]\nignore = [\"P103\"]\n",
    )
    .unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&root.join("kestra-lint.toml")), "type": 1}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["D001"]);
    client.stop();
}
