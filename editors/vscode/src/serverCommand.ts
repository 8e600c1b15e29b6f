// Which program to start as the language server, from the settings and the environment.
// Kept free of the `vscode` module so that `node --test` can check it without VS Code.
import * as fs from "node:fs";
import * as path from "node:path";

/** The extension's settings that choose the server. */
export interface ServerSettings {
  /** `kestraLint.path`: empty for the default lookup. */
  path: string;
  /** `kestraLint.args`: passed after `server`. */
  args: unknown;
}

export type FileState = "ok" | "missing" | "not-a-file" | "not-executable";

/** What the lookup may consult; tests replace each part. */
export interface Environment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** The first workspace folder, against which a relative `kestraLint.path` is resolved. */
  workspaceFolder?: string;
  check(file: string): FileState;
}

export type Resolution =
  | { ok: true; command: string; args: string[] }
  | { ok: false; message: string };

export const INSTALL_HINT = "pipx install kestra-lint";

/** The real file system: a regular file, executable on POSIX systems. */
export function checkFile(file: string): FileState {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return "missing";
  }
  if (!stat.isFile()) {
    return "not-a-file";
  }
  if (process.platform !== "win32") {
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      return "not-executable";
    }
  }
  return "ok";
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === "win32" ? path.win32 : path.posix;
}

/** The names a program is found under: on Windows with each PATHEXT extension. */
function candidates(name: string, e: Environment): string[] {
  if (e.platform !== "win32" || path.win32.extname(name) !== "") {
    return [name];
  }
  const exts = (envVar(e, "PATHEXT") ?? ".COM;.EXE;.BAT;.CMD")
    .split(";")
    .filter((x) => x !== "");
  return [...exts.map((x) => name + x.toLowerCase()), name];
}

// Windows environment names are case-insensitive (`Path`, `PATH`).
function envVar(e: Environment, name: string): string | undefined {
  if (e.platform !== "win32") {
    return e.env[name];
  }
  const key = Object.keys(e.env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : e.env[key];
}

function firstIn(dirs: string[], name: string, e: Environment): string | undefined {
  const p = pathApi(e.platform);
  for (const dir of dirs) {
    for (const file of candidates(name, e)) {
      const full = p.join(dir, file);
      if (e.check(full) === "ok") {
        return full;
      }
    }
  }
  return undefined;
}

/** Looks `name` up on PATH, as a shell would. */
export function findOnPath(name: string, e: Environment): string | undefined {
  const sep = e.platform === "win32" ? ";" : ":";
  const dirs = (envVar(e, "PATH") ?? "").split(sep).filter((d) => d !== "");
  return firstIn(dirs, name, e);
}

// Where pipx/uv and cargo put programs: an editor started from a desktop launcher may not
// have them on PATH even when a terminal does.
function fallbackDirs(e: Environment): string[] {
  const p = pathApi(e.platform);
  return [p.join(e.homeDir, ".local", "bin"), p.join(e.homeDir, ".cargo", "bin")];
}

function extraArgs(args: unknown): string[] {
  return Array.isArray(args) ? args.filter((a): a is string => typeof a === "string") : [];
}

function describe(state: FileState): string {
  switch (state) {
    case "missing":
      return "there is no such file";
    case "not-a-file":
      return "it is not a regular file";
    case "not-executable":
      return "it is not executable (chmod +x)";
    case "ok":
      return "";
  }
}

/** The program and arguments that start `kestra-lint server`, or why there is none. */
export function resolveServerCommand(settings: ServerSettings, e: Environment): Resolution {
  const args = ["server", ...extraArgs(settings.args)];
  const setting = settings.path.trim();
  const p = pathApi(e.platform);

  if (setting === "") {
    const found = findOnPath("kestra-lint", e) ?? firstIn(fallbackDirs(e), "kestra-lint", e);
    if (found !== undefined) {
      return { ok: true, command: found, args };
    }
    return {
      ok: false,
      message:
        "kestra-lint was not found on PATH (nor in ~/.local/bin or ~/.cargo/bin). " +
        `Install it with "${INSTALL_HINT}", or set the kestraLint.path setting to the program.`,
    };
  }

  // A bare name is a program on PATH; anything with a separator is a file.
  const hasSeparator = setting.includes("/") || (e.platform === "win32" && setting.includes("\\"));
  if (!hasSeparator && setting !== "~") {
    const found = findOnPath(setting, e);
    if (found !== undefined) {
      return { ok: true, command: found, args };
    }
    return {
      ok: false,
      message:
        `The kestraLint.path setting is "${setting}", which was not found on PATH. ` +
        `Set it to the full path of kestra-lint, or install it with "${INSTALL_HINT}".`,
    };
  }

  let file: string;
  if (setting === "~" || setting.startsWith("~/") || setting.startsWith("~\\")) {
    file = p.join(e.homeDir, setting.slice(1));
  } else if (p.isAbsolute(setting)) {
    file = setting;
  } else if (e.workspaceFolder !== undefined) {
    file = p.resolve(e.workspaceFolder, setting);
  } else {
    return {
      ok: false,
      message:
        `The kestraLint.path setting is the relative path "${setting}", but no folder is open to ` +
        "resolve it against. Open the repository's folder or give an absolute path.",
    };
  }
  // On Windows `C:\tools\kestra-lint` may name `kestra-lint.exe`.
  for (const f of candidates(file, e)) {
    if (e.check(f) === "ok") {
      return { ok: true, command: f, args };
    }
  }
  const state = e.check(file);
  return {
    ok: false,
    message:
      `The kestraLint.path setting is "${setting}", but ${describe(state === "ok" ? "missing" : state)}` +
      (file !== setting ? ` (${file})` : "") +
      `. Point it at the kestra-lint program, or clear it to use the one on PATH ("${INSTALL_HINT}" installs it).`,
  };
}
