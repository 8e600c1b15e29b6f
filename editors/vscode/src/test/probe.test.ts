// The check that the program has a `server` command, on stand-in programs (POSIX shell).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { probeServer } from "../probe";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "kestra-lint-probe-"));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`);
  fs.chmodSync(file, 0o755);
  return file;
}

describe("probeServer", { skip: process.platform === "win32" }, () => {
  it("accepts a program whose `server --help` succeeds", async () => {
    const ok = script("new", '[ "$1 $2" = "server --help" ] && echo "Usage: kestra-lint server" && exit 0\nexit 2');
    assert.deepEqual(await probeServer(ok), { ok: true });
  });

  it("names the version and what an older kestra-lint said", async () => {
    const old = script(
      "old",
      [
        'if [ "$1" = "--version" ]; then echo "kestra-lint 0.1.0"; exit 0; fi',
        "echo \"error: unrecognized subcommand 'server'\" >&2",
        "exit 2",
      ].join("\n"),
    );
    const r = await probeServer(old);
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.match(r.message, /\(kestra-lint 0\.1\.0\) has no "server" command/);
    assert.match(r.message, /it said: error: unrecognized subcommand 'server'/);
    assert.match(r.message, /pipx upgrade kestra-lint/);
    assert.match(r.message, /kestraLint\.path/);
  });

  it("gives the exit code when the program prints nothing", async () => {
    const r = await probeServer(script("silent", "exit 3"));
    assert.ok(!r.ok);
    assert.match(r.message, /has no "server" command \(exit code 3\)/);
  });

  it("reports a program that cannot be run", async () => {
    const r = await probeServer(path.join(root, "absent"));
    assert.ok(!r.ok);
    assert.match(r.message, /could not be run \(ENOENT/);
  });

  it("gives up on a program that does not answer", async () => {
    const r = await probeServer(script("hang", "exec sleep 5"), 300);
    assert.ok(!r.ok);
    assert.match(r.message, /did not answer within 0\.3 s/);
  });
});
