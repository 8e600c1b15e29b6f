// Asks the program whether it has a `server` command before the language client starts it, so
// that an older kestra-lint gets one clear message instead of the client's restart attempts.
// `kestra-lint server --help` exits 0 where the command exists and 2 (unknown subcommand) where
// it does not. Free of the `vscode` module, so `node --test` runs it on stand-in programs.
import { execFile, ExecFileException } from "node:child_process";
import { INSTALL_HINT } from "./serverCommand";

export type Probe = { ok: true } | { ok: false; message: string };

interface Run {
  code: number | null;
  error?: ExecFileException;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, error: error ?? undefined, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? "";
}

export async function probeServer(command: string, timeoutMs = 10000): Promise<Probe> {
  const help = await run(command, ["server", "--help"], timeoutMs);
  if (help.code === 0) {
    return { ok: true };
  }
  if (help.error !== undefined && typeof help.error.code === "string") {
    // ENOENT, EACCES, …: the program could not be run at all.
    return {
      ok: false,
      message: `${command} could not be run (${help.error.code}: ${help.error.message}). Point the kestraLint.path setting at the kestra-lint program, or install it with "${INSTALL_HINT}".`,
    };
  }
  if (help.error?.killed === true) {
    return {
      ok: false,
      message: `${command} server --help did not answer within ${timeoutMs / 1000} s; is kestraLint.path the kestra-lint program?`,
    };
  }
  const version = firstLine((await run(command, ["--version"], timeoutMs)).stdout);
  const said = firstLine(help.stderr) || firstLine(help.stdout);
  return {
    ok: false,
    message:
      `${command}${version !== "" ? ` (${version})` : ""} has no "server" command` +
      (said !== "" ? ` (it said: ${said})` : ` (exit code ${help.code})`) +
      '. Update kestra-lint ("pipx upgrade kestra-lint") or point the kestraLint.path setting at a newer one.',
  };
}
