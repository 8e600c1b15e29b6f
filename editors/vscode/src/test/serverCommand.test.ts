// Which program the extension starts, from its settings and the environment. Real files in a
// temporary folder for POSIX; a fake file table for Windows (its rules are not the host's).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  checkFile,
  Environment,
  FileState,
  findOnPath,
  resolveServerCommand,
} from "../serverCommand";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "kestra-lint-vscode-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function program(rel: string, mode = 0o755): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, mode);
  return file;
}

function posix(overrides: Partial<Environment> = {}): Environment {
  return {
    platform: "linux",
    env: { PATH: "" },
    homeDir: path.join(root, "home-empty"),
    check: checkFile,
    ...overrides,
  };
}

function failure(r: ReturnType<typeof resolveServerCommand>): string {
  assert.equal(r.ok, false, `expected no command, got ${JSON.stringify(r)}`);
  return r.ok ? "" : r.message;
}

describe("default lookup (kestraLint.path empty)", () => {
  it("takes the first kestra-lint on PATH and runs `server`", () => {
    const first = program("path1/kestra-lint");
    program("path2/kestra-lint");
    const env = posix({ env: { PATH: `${root}/nothing:${root}/path1:${root}/path2` } });
    assert.deepEqual(resolveServerCommand({ path: "", args: [] }, env), {
      ok: true,
      command: first,
      args: ["server"],
    });
  });

  it("skips a PATH entry that is not executable or is a folder", () => {
    program("noexec/kestra-lint", 0o644);
    fs.mkdirSync(path.join(root, "dir/kestra-lint"), { recursive: true });
    const good = program("good/kestra-lint");
    const env = posix({ env: { PATH: `${root}/noexec:${root}/dir:${root}/good` } });
    assert.equal(findOnPath("kestra-lint", env), good);
  });

  it("falls back to ~/.local/bin, then ~/.cargo/bin", () => {
    const cargo = program("home1/.cargo/bin/kestra-lint");
    const env = posix({ homeDir: path.join(root, "home1") });
    const r = resolveServerCommand({ path: "", args: [] }, env);
    assert.deepEqual(r, { ok: true, command: cargo, args: ["server"] });
    const local = program("home1/.local/bin/kestra-lint");
    assert.deepEqual(resolveServerCommand({ path: "", args: [] }, env), {
      ok: true,
      command: local,
      args: ["server"],
    });
  });

  it("names the setting and the install command when nothing is found", () => {
    const message = failure(resolveServerCommand({ path: "", args: [] }, posix()));
    assert.match(message, /not found on PATH/);
    assert.match(message, /set the kestraLint\.path setting/);
    assert.match(message, /pipx install kestra-lint/);
  });

  it("appends kestraLint.args after `server`, dropping what is not a string", () => {
    program("args/kestra-lint");
    const env = posix({ env: { PATH: `${root}/args` } });
    const r = resolveServerCommand({ path: "", args: ["--config", "ci.toml", 3, null] }, env);
    assert.ok(r.ok);
    assert.deepEqual(r.args, ["server", "--config", "ci.toml"]);
    const notAList = resolveServerCommand({ path: "", args: "--config x" }, env);
    assert.ok(notAList.ok);
    assert.deepEqual(notAList.args, ["server"]);
  });
});

describe("kestraLint.path", () => {
  it("uses an absolute path as it is", () => {
    const file = program("abs/bin/kestra-lint");
    assert.deepEqual(resolveServerCommand({ path: file, args: [] }, posix()), {
      ok: true,
      command: file,
      args: ["server"],
    });
  });

  it("resolves a relative path against the workspace folder", () => {
    const file = program("repo/.venv/bin/kestra-lint");
    const env = posix({ workspaceFolder: path.join(root, "repo") });
    const r = resolveServerCommand({ path: ".venv/bin/kestra-lint", args: [] }, env);
    assert.deepEqual(r, { ok: true, command: file, args: ["server"] });
  });

  it("refuses a relative path when no folder is open", () => {
    const message = failure(resolveServerCommand({ path: "bin/kestra-lint", args: [] }, posix()));
    assert.match(message, /relative path "bin\/kestra-lint"/);
    assert.match(message, /no folder is open/);
  });

  it("expands ~/ to the home folder", () => {
    const file = program("home2/tools/kestra-lint");
    const env = posix({ homeDir: path.join(root, "home2") });
    const r = resolveServerCommand({ path: "~/tools/kestra-lint", args: [] }, env);
    assert.deepEqual(r, { ok: true, command: file, args: ["server"] });
  });

  it("looks a bare program name up on PATH", () => {
    const file = program("named/kestra-lint-dev");
    const env = posix({ env: { PATH: `${root}/named` } });
    const r = resolveServerCommand({ path: " kestra-lint-dev ", args: [] }, env);
    assert.deepEqual(r, { ok: true, command: file, args: ["server"] });
    const message = failure(resolveServerCommand({ path: "kestra-lint-old", args: [] }, env));
    assert.match(message, /"kestra-lint-old", which was not found on PATH/);
  });

  it("says why a configured file cannot be run", () => {
    const missing = path.join(root, "nowhere/kestra-lint");
    assert.match(
      failure(resolveServerCommand({ path: missing, args: [] }, posix())),
      /kestraLint\.path setting is ".*nowhere\/kestra-lint", but there is no such file/,
    );
    const plain = program("plain/kestra-lint", 0o644);
    assert.match(
      failure(resolveServerCommand({ path: plain, args: [] }, posix())),
      /it is not executable \(chmod \+x\)/,
    );
    assert.match(
      failure(resolveServerCommand({ path: root, args: [] }, posix())),
      /it is not a regular file/,
    );
  });

  it("does not fall back to PATH when the configured file is missing", () => {
    program("fallback/kestra-lint");
    const env = posix({ env: { PATH: `${root}/fallback` } });
    const r = resolveServerCommand({ path: "/opt/none/kestra-lint", args: [] }, env);
    assert.equal(r.ok, false);
  });
});

describe("Windows rules", () => {
  function windows(files: string[], env: NodeJS.ProcessEnv): Environment {
    const table = new Set(files.map((f) => f.toLowerCase()));
    return {
      platform: "win32",
      env,
      homeDir: "C:\\Users\\me",
      workspaceFolder: "D:\\repo",
      check: (f: string): FileState => (table.has(f.toLowerCase()) ? "ok" : "missing"),
    };
  }

  it("splits Path on ; and tries the PATHEXT extensions", () => {
    const env = windows(["C:\\tools\\kestra-lint.exe"], {
      Path: "C:\\Windows;C:\\tools",
      PATHEXT: ".COM;.EXE;.BAT",
    });
    const r = resolveServerCommand({ path: "", args: [] }, env);
    assert.deepEqual(r, { ok: true, command: "C:\\tools\\kestra-lint.exe", args: ["server"] });
  });

  it("finds the pipx install under the home folder", () => {
    const env = windows(["C:\\Users\\me\\.local\\bin\\kestra-lint.exe"], { Path: "C:\\Windows" });
    const r = resolveServerCommand({ path: "", args: [] }, env);
    assert.ok(r.ok);
    assert.equal(r.command, "C:\\Users\\me\\.local\\bin\\kestra-lint.exe");
  });

  it("accepts a configured path without .exe and backslash-relative paths", () => {
    const env = windows(["C:\\tools\\kestra-lint.exe", "D:\\repo\\.venv\\Scripts\\kestra-lint.exe"], {
      Path: "",
    });
    const abs = resolveServerCommand({ path: "C:\\tools\\kestra-lint", args: [] }, env);
    assert.ok(abs.ok);
    assert.equal(abs.command, "C:\\tools\\kestra-lint.exe");
    const rel = resolveServerCommand({ path: ".venv\\Scripts\\kestra-lint.exe", args: [] }, env);
    assert.ok(rel.ok);
    assert.equal(rel.command, "D:\\repo\\.venv\\Scripts\\kestra-lint.exe");
  });
});
