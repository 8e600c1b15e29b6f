// The protocol trace, in its own output. vscode-languageclient traces only while its trace
// channel's log level is Trace, and then reads `<id>.trace.server` for how much; a log channel's
// level is the user's to set, so `kestraLint.trace.server` alone would do nothing. This channel
// reports level Trace exactly while the setting is not "off", which makes the setting the switch.
import * as vscode from "vscode";

export class TraceChannel implements vscode.LogOutputChannel {
  readonly name: string;
  private readonly out: vscode.OutputChannel;
  private readonly changed = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.changed.event;
  logLevel: vscode.LogLevel;

  constructor(name: string, setting: string) {
    this.name = name;
    this.out = vscode.window.createOutputChannel(name);
    this.logLevel = TraceChannel.level(setting);
  }

  private static level(setting: string): vscode.LogLevel {
    return setting === "off" ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
  }

  /** Follows a new value of the trace setting. */
  update(setting: string): void {
    const level = TraceChannel.level(setting);
    if (level !== this.logLevel) {
      this.logLevel = level;
      this.changed.fire(level);
    }
  }

  private line(kind: string, message: string | Error, args: unknown[]): void {
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    const extra = args.length > 0 ? " " + args.map((a) => String(a)).join(" ") : "";
    this.out.appendLine(kind === "" ? text + extra : `[${kind}] ${text}${extra}`);
  }

  trace(message: string, ...args: unknown[]): void {
    this.line("", message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.line("debug", message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.line("info", message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.line("warning", message, args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.line("error", error, args);
  }
  append(value: string): void {
    this.out.append(value);
  }
  appendLine(value: string): void {
    this.out.appendLine(value);
  }
  replace(value: string): void {
    this.out.replace(value);
  }
  clear(): void {
    this.out.clear();
  }
  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === "boolean") {
      this.out.show(columnOrPreserveFocus);
    } else {
      this.out.show(columnOrPreserveFocus, preserveFocus);
    }
  }
  hide(): void {
    this.out.hide();
  }
  dispose(): void {
    this.changed.dispose();
    this.out.dispose();
  }
}
