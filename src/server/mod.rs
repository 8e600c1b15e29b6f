//! `kestra-lint server`: a language server over stdio (JSON-RPC, `lsp-server` + `lsp-types`,
//! synchronous: one thread reads messages, this one lints). Every document goes through the
//! same [`Workspace`] path as `check`, so the editor and the CLI cannot disagree.
//!
//! Edits are debounced: every change already received is applied before one lint (and
//! `--debounce-ms` can add a window to wait for more), so a burst of keystrokes never queues a
//! lint per keystroke; a request (code action, hover) on a document with pending edits lints it
//! first, so it always answers about the text the editor holds.

mod actions;
mod complete;
mod convert;
mod hover;
mod locate;
mod navigate;
mod symbols;
pub mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{self as lsp, notification, request};
use serde_json::Value;

use crate::config::ConfigArgs;
use crate::workspace::{Document, RepoIndex, Workspace};

/// How long to wait for more edits before linting. Edits already received are always linted
/// together (the queue is drained first), which is what coalesces a burst of keystrokes; a
/// window on top only adds latency on a fast machine, so it is opt-in (`--debounce-ms`).
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(0);

/// Config and schema files whose change reloads the settings.
const CONFIG_NAMES: &[&str] = &["kestra-lint.toml", ".kestra-lint.toml", "pyproject.toml"];

#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// Debounce for edits, in milliseconds (editors send a change per keystroke).
    #[arg(long, value_name = "MS", default_value_t = DEFAULT_DEBOUNCE.as_millis() as u64)]
    pub debounce_ms: u64,
}

/// An open document: the editor's text and its last lint (`None` while edits are pending).
struct Open {
    path: PathBuf,
    text: String,
    version: i32,
    linted: Option<Document>,
    /// When pending edits are due to be linted.
    due: Option<Instant>,
}

pub struct Server {
    sender: crossbeam_channel::Sender<Message>,
    workspace: Workspace,
    roots: Vec<PathBuf>,
    index: RepoIndex,
    docs: HashMap<String, Open>,
    debounce: Duration,
    rule_docs: convert::RuleDocs,
    next_request: i32,
    watched_files: bool,
}

/// Run the server on stdin/stdout until the client says `exit`.
pub fn run(args: ServerArgs) -> std::process::ExitCode {
    let (connection, io_threads) = Connection::stdio();
    let code = match serve(&connection, args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("kestra-lint server: {e}");
            1
        }
    };
    drop(connection);
    let _ = io_threads.join();
    std::process::ExitCode::from(code)
}

fn serve(connection: &Connection, args: ServerArgs) -> Result<(), String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("initialize failed: {e}"))?;
    let params: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("bad initialize params: {e}"))?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "kestra-lint", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("initialize failed: {e}"))?;
    let mut server = Server::new(connection.sender.clone(), &params, &args);
    server.main_loop(connection)
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::SOURCE_FIX_ALL,
                ]),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![".".into(), ":".into(), " ".into()]),
            ..Default::default()
        }),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        workspace: Some(lsp::WorkspaceServerCapabilities {
            workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}

impl Server {
    fn new(
        sender: crossbeam_channel::Sender<Message>,
        params: &lsp::InitializeParams,
        args: &ServerArgs,
    ) -> Self {
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| text::uri_to_path(f.uri.as_str()))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            roots.extend(
                params
                    .root_uri
                    .as_ref()
                    .and_then(|u| text::uri_to_path(u.as_str())),
            );
        }
        let options = params.initialization_options.as_ref();
        let debounce = options
            .and_then(|o| o.get("debounceMs"))
            .and_then(Value::as_u64)
            .map_or(
                Duration::from_millis(args.debounce_ms),
                Duration::from_millis,
            );
        let rule_docs = convert::RuleDocs::new(
            options
                .and_then(|o| o.get("ruleDocsUrl"))
                .and_then(Value::as_str)
                .map(str::to_string),
        );
        let watched_files = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let cwd = roots
            .first()
            .cloned()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let mut server = Self {
            sender,
            workspace: fallback_workspace(&cwd),
            roots,
            index: RepoIndex::default(),
            docs: HashMap::new(),
            debounce,
            rule_docs,
            next_request: 0,
            watched_files,
        };
        server.load_workspace(&cwd);
        server.scan_roots();
        server
    }

    /// Settings and schema from the first workspace folder; a broken config is shown and the
    /// previous settings are kept.
    fn load_workspace(&mut self, cwd: &Path) {
        let files = self.open_paths();
        match Workspace::load(&ConfigArgs::default(), cwd, &files) {
            Ok(w) => self.workspace = w,
            Err(e) => self.show_message(lsp::MessageType::ERROR, format!("kestra-lint: {e}")),
        }
    }

    fn open_paths(&self) -> Vec<PathBuf> {
        self.docs.values().map(|d| d.path.clone()).collect()
    }

    fn scan_roots(&mut self) {
        self.index = RepoIndex::default();
        if !self.workspace.cross_file_rules_on() {
            return;
        }
        let patterns = self.workspace.settings_of_run().excludes(None, &[]);
        let Ok(excludes) = crate::discover::build_excludes(&patterns) else {
            return;
        };
        for root in &self.roots {
            self.index.scan(root, &excludes);
        }
    }

    fn main_loop(&mut self, connection: &Connection) -> Result<(), String> {
        loop {
            let due = self.docs.values().filter_map(|d| d.due).min();
            let message = match due {
                None => connection
                    .receiver
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(due) => connection
                    .receiver
                    .recv_timeout(due.saturating_duration_since(Instant::now())),
            };
            match message {
                Ok(Message::Request(req)) => {
                    if connection
                        .handle_shutdown(&req)
                        .map_err(|e| format!("shutdown: {e}"))?
                    {
                        return Ok(());
                    }
                    self.on_request(req);
                }
                Ok(Message::Notification(n)) => {
                    if n.method == notification::Exit::METHOD {
                        // After `shutdown`, `handle_shutdown` took the exit; this one came
                        // without it, which LSP says is exit code 1.
                        return Err("the client sent `exit` without `shutdown`".into());
                    }
                    self.on_notification(n);
                }
                Ok(Message::Response(_)) => {}
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
            // Messages waiting (more edits, a request) come first: their edits are linted once.
            if connection.receiver.is_empty() {
                self.lint_due();
            }
        }
    }

    fn send(&self, message: Message) {
        let _ = self.sender.send(message);
    }

    fn show_message(&self, typ: lsp::MessageType, message: String) {
        self.send(Message::Notification(Notification::new(
            notification::ShowMessage::METHOD.to_string(),
            lsp::ShowMessageParams { typ, message },
        )));
    }

    fn on_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notification::Initialized::METHOD => self.register_watchers(),
            notification::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                let Some(path) = text::uri_to_path(&uri) else {
                    return;
                };
                let new_folder = !self.docs.values().any(|d| d.path.parent() == path.parent());
                self.docs.insert(
                    uri.clone(),
                    Open {
                        path,
                        text: p.text_document.text,
                        version: p.text_document.version,
                        linted: None,
                        due: None,
                    },
                );
                if new_folder {
                    // The nested configs of a new folder are read once.
                    let files = self.open_paths();
                    if let Err(e) = self.workspace.resolve_files(&files) {
                        self.show_message(lsp::MessageType::ERROR, format!("kestra-lint: {e}"));
                    }
                }
                self.lint_now(&uri);
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let debounce = self.debounce;
                let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) else {
                    return;
                };
                for change in p.content_changes {
                    text::apply_change(&mut doc.text, change.range, &change.text);
                }
                doc.version = p.text_document.version;
                doc.linted = None;
                doc.due.get_or_insert_with(|| Instant::now() + debounce);
            }
            notification::DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                if let (Some(text), Some(doc)) = (p.text, self.docs.get_mut(&uri)) {
                    doc.text = text;
                    doc.linted = None;
                }
                self.lint_now(&uri);
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                if let Some(doc) = self.docs.remove(&uri) {
                    // The index goes back to what the file on disk holds.
                    let summary = read_summary(&doc.path);
                    self.index.update(&doc.path, summary);
                }
                self.publish(&uri, Vec::new(), None);
            }
            notification::DidChangeWorkspaceFolders::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp::DidChangeWorkspaceFoldersParams>(n.params)
                else {
                    return;
                };
                for removed in &p.event.removed {
                    if let Some(path) = text::uri_to_path(removed.uri.as_str()) {
                        self.roots.retain(|r| r != &path);
                        self.index.remove_under(&path);
                    }
                }
                for added in &p.event.added {
                    if let Some(path) = text::uri_to_path(added.uri.as_str()) {
                        if !self.roots.contains(&path) {
                            self.roots.push(path);
                        }
                    }
                }
                self.scan_roots();
                self.relint_all();
            }
            notification::DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                self.on_watched_files(p.changes);
            }
            _ => {}
        }
    }

    /// A config or schema file changed: settings and schema are read again and every open
    /// document is linted again. A flow file changed on disk: its summary in the index.
    fn on_watched_files(&mut self, changes: Vec<lsp::FileEvent>) {
        let mut reload = false;
        let mut flows_changed = false;
        for change in changes {
            let Some(path) = text::uri_to_path(change.uri.as_str()) else {
                continue;
            };
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let in_kestra_dir = path
                .parent()
                .and_then(|p| p.file_name())
                .is_some_and(|n| n == crate::schema::pinned::DIR);
            if CONFIG_NAMES.contains(&name) || in_kestra_dir {
                reload = true;
            } else if name.ends_with(".yml") || name.ends_with(".yaml") {
                let open = self.docs.values().any(|d| d.path == path);
                if !open {
                    let summary = if change.typ == lsp::FileChangeType::DELETED {
                        None
                    } else {
                        read_summary(&path)
                    };
                    self.index.update(&path, summary);
                    flows_changed = true;
                }
            }
        }
        if reload {
            let cwd = self.workspace.cwd.clone();
            self.load_workspace(&cwd);
            self.scan_roots();
        }
        if reload || flows_changed {
            self.relint_all();
        }
    }

    /// Ask the client to tell us when config, schema and flow files change.
    fn register_watchers(&mut self) {
        if !self.watched_files {
            return;
        }
        let watchers = [
            "**/kestra-lint.toml",
            "**/.kestra-lint.toml",
            "**/pyproject.toml",
            "**/.kestra/*",
            "**/*.{yml,yaml}",
        ]
        .into_iter()
        .map(|glob| lsp::FileSystemWatcher {
            glob_pattern: lsp::GlobPattern::String(glob.to_string()),
            kind: None,
        })
        .collect();
        let registration = lsp::Registration {
            id: "kestra-lint-watched-files".into(),
            method: notification::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(lsp::DidChangeWatchedFilesRegistrationOptions {
                watchers,
            })
            .ok(),
        };
        self.next_request += 1;
        self.send(Message::Request(Request::new(
            RequestId::from(format!("kestra-lint-{}", self.next_request)),
            request::RegisterCapability::METHOD.to_string(),
            lsp::RegistrationParams {
                registrations: vec![registration],
            },
        )));
    }

    fn relint_all(&mut self) {
        let uris: Vec<String> = self.docs.keys().cloned().collect();
        for uri in uris {
            if let Some(doc) = self.docs.get_mut(&uri) {
                doc.linted = None;
            }
            self.lint_now(&uri);
        }
    }

    /// Lint the documents whose debounce ran out.
    fn lint_due(&mut self) {
        let now = Instant::now();
        let due: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|t| t <= now))
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.lint_now(&uri);
        }
    }

    /// Lint a document now (if its last lint is stale) and publish its diagnostics.
    fn lint_now(&mut self, uri: &str) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        doc.due = None;
        if doc.linted.is_some() {
            return;
        }
        let linted = Document::lint(
            &self.workspace,
            &mut self.index,
            &doc.path,
            doc.version,
            doc.text.clone(),
        );
        let index = text::LineIndex::new(linted.text());
        let diagnostics = linted
            .report
            .diagnostics
            .iter()
            .map(|d| convert::diagnostic(d, &index, uri, &mut self.rule_docs))
            .collect();
        let version = linted.version;
        doc.linted = Some(linted);
        self.publish(uri, diagnostics, Some(version));
    }

    fn publish(&self, uri: &str, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let Ok(uri) = uri.parse::<lsp::Uri>() else {
            return;
        };
        self.send(Message::Notification(Notification::new(
            notification::PublishDiagnostics::METHOD.to_string(),
            lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        )));
    }

    /// Lint pending edits of a document before a request about it.
    fn flush(&mut self, uri: &lsp::Uri) {
        let uri = uri.as_str();
        if self.docs.get(uri).is_some_and(|d| d.linted.is_none()) {
            self.lint_now(uri);
        }
    }

    /// The linted document (after [`Self::flush`]).
    fn linted(&self, uri: &lsp::Uri) -> Option<&Document> {
        self.docs.get(uri.as_str())?.linted.as_ref()
    }

    fn on_request(&mut self, req: Request) {
        let id = req.id.clone();
        let result: Result<Value, String> = match req.method.as_str() {
            request::CodeActionRequest::METHOD => {
                self.handle(req, |s, p: lsp::CodeActionParams| {
                    s.flush(&p.text_document.uri);
                    let doc = s.linted(&p.text_document.uri)?;
                    Some(actions::code_actions(&s.workspace, doc, &p))
                })
            }
            request::HoverRequest::METHOD => self.handle(req, |s, p: lsp::HoverParams| {
                let uri = p.text_document_position_params.text_document.uri.clone();
                s.flush(&uri);
                let doc = s.linted(&uri)?;
                hover::hover(&s.workspace, doc, p.text_document_position_params.position)
            }),
            request::Completion::METHOD => self.handle(req, |s, p: lsp::CompletionParams| {
                let uri = p.text_document_position.text_document.uri.clone();
                s.flush(&uri);
                let doc = s.linted(&uri)?;
                Some(complete::complete(
                    &s.workspace,
                    doc,
                    p.text_document_position.position,
                ))
            }),
            request::GotoDefinition::METHOD => {
                self.handle(req, |s, p: lsp::GotoDefinitionParams| {
                    let uri = p.text_document_position_params.text_document.uri.clone();
                    let position = p.text_document_position_params.position;
                    s.flush(&uri);
                    let doc = s.linted(&uri)?;
                    let found =
                        navigate::definition(&s.index, &s.open_texts(), doc, &uri, position);
                    (!found.is_empty()).then_some(lsp::GotoDefinitionResponse::Array(found))
                })
            }
            request::References::METHOD => self.handle(req, |s, p: lsp::ReferenceParams| {
                let uri = p.text_document_position.text_document.uri.clone();
                let position = p.text_document_position.position;
                s.flush(&uri);
                let doc = s.linted(&uri)?;
                Some(navigate::references(
                    &s.index,
                    &s.open_texts(),
                    doc,
                    &uri,
                    position,
                    p.context.include_declaration,
                ))
            }),
            request::DocumentSymbolRequest::METHOD => {
                self.handle(req, |s, p: lsp::DocumentSymbolParams| {
                    s.flush(&p.text_document.uri);
                    let doc = s.linted(&p.text_document.uri)?;
                    Some(lsp::DocumentSymbolResponse::Nested(symbols::symbols(doc)))
                })
            }
            _ => {
                self.send(Message::Response(Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("kestra-lint does not handle `{}`", req.method),
                )));
                return;
            }
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(e) => Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, e),
        };
        self.send(Message::Response(response));
    }

    /// Decode the params, run `f`, encode its answer (`null` when it has none).
    fn handle<P, R>(
        &mut self,
        req: Request,
        f: impl FnOnce(&mut Self, P) -> Option<R>,
    ) -> Result<Value, String>
    where
        P: serde::de::DeserializeOwned,
        R: serde::Serialize,
    {
        let params: P = serde_json::from_value(req.params)
            .map_err(|e| format!("bad params for `{}`: {e}", req.method))?;
        let answer = f(self, params);
        serde_json::to_value(answer).map_err(|e| e.to_string())
    }

    /// The editor's text of each open document, by path (other files are read from disk).
    fn open_texts(&self) -> HashMap<PathBuf, String> {
        self.docs
            .values()
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect()
    }
}

/// Settings that need no file: when the configuration cannot be read.
fn fallback_workspace(cwd: &Path) -> Workspace {
    let isolated = ConfigArgs {
        isolated: true,
        ..ConfigArgs::default()
    };
    Workspace::load(&isolated, cwd, &[]).unwrap_or_else(|_| Workspace::embedded(cwd))
}

/// The summary of the flow in a file on disk, if it is one.
fn read_summary(path: &Path) -> Option<crate::flow::summary::FlowSummary> {
    let text = std::fs::read_to_string(path).ok()?;
    let doc = crate::yaml::parse(&text);
    let root = doc.root.as_ref()?;
    if !crate::flow::is_flow(root) {
        return None;
    }
    let flow = crate::flow::Flow::new(root);
    let templates = crate::flow::templates::collect(&text, &flow, false);
    crate::flow::summary::summarize(&flow, &templates)
}
