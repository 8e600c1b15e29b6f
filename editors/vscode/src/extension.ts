// Starts `kestra-lint server` for YAML files and hands VS Code's requests to it. Which YAML
// file is a flow is the server's decision (as for `kestra-lint check`), so no language id is
// taken over: other YAML extensions keep working on the same files.
import * as os from "node:os";
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import { checkFile, resolveServerCommand, ServerSettings } from "./serverCommand";
import { probeServer } from "./probe";
import { TraceChannel } from "./traceChannel";

const SECTION = "kestraLint";
let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let trace: TraceChannel;
let watchers: vscode.FileSystemWatcher[] = [];

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel("kestra-lint", { log: true });
  trace = new TraceChannel("kestra-lint Trace", traceSetting());
  // Made once and handed to each client: config files change what is reported, flow files
  // feed the cross-file rules.
  watchers = [
    vscode.workspace.createFileSystemWatcher("**/{kestra-lint.toml,.kestra-lint.toml,pyproject.toml}"),
    vscode.workspace.createFileSystemWatcher("**/*.{yml,yaml}"),
  ];
  context.subscriptions.push(
    output,
    trace,
    ...watchers,
    vscode.commands.registerCommand("kestraLint.restartServer", restart),
    vscode.commands.registerCommand("kestraLint.showOutput", () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${SECTION}.trace.server`)) {
        trace.update(traceSetting());
      }
      if (
        event.affectsConfiguration(`${SECTION}.path`) ||
        event.affectsConfiguration(`${SECTION}.args`)
      ) {
        await restart();
      }
    }),
    // Trusting the workspace brings its own kestraLint.path and kestraLint.args into force.
    vscode.workspace.onDidGrantWorkspaceTrust(restart),
  );
  // Not awaited: activation need not wait for the server's first answer.
  void serialized(start);
}

export function deactivate(): Promise<void> {
  return serialized(stop);
}

function traceSetting(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>("trace.server") ?? "off";
}

function settings(): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return { path: config.get<string>("path") ?? "", args: config.get<unknown>("args") ?? [] };
}

async function start(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file");
  const resolved = resolveServerCommand(settings(), {
    platform: process.platform,
    env: process.env,
    homeDir: os.homedir(),
    workspaceFolder: folder?.uri.fsPath,
    check: checkFile,
  });
  if (!resolved.ok) {
    output.error(resolved.message);
    void offerFix(resolved.message);
    return;
  }

  const probe = await probeServer(resolved.command);
  if (!probe.ok) {
    output.error(probe.message);
    void offerFix(probe.message);
    return;
  }

  output.info(`Starting ${resolved.command} ${resolved.args.join(" ")}`);
  let started = false;
  let fallback: ErrorHandler | undefined;
  // The client's own policy (restart up to 4 times in 3 minutes) once the server is running.
  const defaults = (): ErrorHandler => (fallback ??= c.createDefaultErrorHandler(4));
  const serverOptions: ServerOptions = {
    command: resolved.command,
    args: resolved.args,
    options: { cwd: folder?.uri.fsPath },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "untitled", language: "yaml" },
    ],
    synchronize: { fileEvents: watchers },
    outputChannel: output,
    traceOutputChannel: trace,
    errorHandler: {
      // Until the server has answered `initialize`, restarting it only repeats the failure.
      error: (error, message, count) =>
        started
          ? defaults().error(error, message, count)
          : { action: ErrorAction.Shutdown, handled: true },
      closed: () =>
        started ? defaults().closed() : { action: CloseAction.DoNotRestart, handled: true },
    },
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  // The id `kestraLint` makes the client read `kestraLint.trace.server` (see TraceChannel).
  const c = new LanguageClient(SECTION, "kestra-lint", serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
    started = true;
  } catch (error) {
    const message =
      `kestra-lint server did not start (${resolved.command} server): ${errorText(error)}. ` +
      "The kestra-lint output shows what it printed.";
    output.error(message);
    void offerFix(message);
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  // A client whose start failed has no server left to stop.
  if (c === undefined || c.state !== State.Running) {
    return;
  }
  try {
    // Asks the server to shut down (2 s), then ends it.
    await c.dispose(2000);
  } catch (error) {
    output.warn(`Stopping the server: ${errorText(error)}`);
  }
}

// Starts and stops run one after the other, so a restart asked for while the server is still
// starting cannot leave two servers running.
let queue: Promise<void> = Promise.resolve();
function serialized(step: () => Promise<void>): Promise<void> {
  queue = queue.then(step, step);
  return queue;
}

function restart(): Promise<void> {
  return serialized(async () => {
    await stop();
    await start();
  });
}

async function offerFix(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    message,
    "Open Settings",
    "Show Output",
    "Retry",
  );
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.path`);
  } else if (choice === "Show Output") {
    output.show();
  } else if (choice === "Retry") {
    await restart();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
