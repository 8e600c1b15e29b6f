#!/usr/bin/env python3
"""Latency and memory of `kestra-lint server` (Python stdlib only; not a test).

Opens a generated 1,000-line flow, then sends 1,000 incremental edits one after the other and
measures, for each, the time from sending `didChange` to receiving the `publishDiagnostics` of
that version (debounce included), and the server's RSS (Linux /proc) every 100 edits.

Usage: scripts/lsp-bench.py path/to/kestra-lint [--edits N] [--debounce-ms MS]
Target: median and p95 latency <= 30 ms, RSS flat over the edits.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue


def flow_text(lines=1000):
    out = ["id: bench", "namespace: company.team", "inputs:", "  - id: name", "    type: STRING",
           "    defaults: world", "tasks:"]
    i = 0
    while len(out) < lines - 10:
        out += [
            f"  - id: task_{i}",
            "    type: io.kestra.plugin.core.debug.Return",
            f"    format: \"{{{{ inputs.name }}}} {i}\"",
            f"  - id: log_{i}",
            "    type: io.kestra.plugin.core.log.Log",
            "    level: INFO",
            f"    message: \"{{{{ outputs.task_{i}.value }}}} and {{{{ inputs.name }}}}\"",
            "    timeout: PT5M",
            "    retry: {type: constant, interval: PT1S, maxAttempts: 3}",
            "    description: a task of the benchmark flow",
        ]
        i += 1
    out += ["triggers:", "  - id: daily", "    type: io.kestra.plugin.core.trigger.Schedule",
            "    cron: \"0 9 * * *\""]
    return "\n".join(out) + "\n"


class Server:
    def __init__(self, binary, root, debounce):
        args = [binary, "server"]
        if debounce is not None:
            args += ["--debounce-ms", str(debounce)]
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(root, ".cache"))
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     cwd=root, env=env)
        self.messages = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 0

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(out.read(length)))

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            m = self.messages.get(timeout=30)
            if m.get("id") == self.next_id and "method" not in m:
                return m.get("result")

    def diagnostics(self, version):
        while True:
            m = self.messages.get(timeout=30)
            if m.get("method") == "textDocument/publishDiagnostics" and \
                    m["params"].get("version") == version:
                return m["params"]["diagnostics"]

    def cpu_ms(self):
        """User + system CPU time of the server so far (Linux /proc), in ms."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) * 1000 / ticks

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--debounce-ms", type=int, default=None,
                        help="the server's debounce window (default: its own, 0 ms)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, ".git"))
        path = os.path.join(root, "bench.yml")
        text = flow_text()
        with open(path, "w") as f:
            f.write(text)
        uri = "file://" + path
        server = Server(binary, root, args.debounce_ms)
        server.request("initialize", {"processId": None, "rootUri": "file://" + root,
                                      "capabilities": {}})
        server.notify("initialized", {})
        started = time.perf_counter()
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        first = server.diagnostics(1)
        opened_ms = (time.perf_counter() - started) * 1000
        lines = text.count("\n")
        # Edit the description of a task near the middle: one character replaced, back and forth.
        target = next(i for i, l in enumerate(text.split("\n"))
                      if i > lines // 2 and l.startswith("    description:"))
        latencies, rss = [], [(0, server.rss_kib())]
        cpu_before = server.cpu_ms()
        for n in range(1, args.edits + 1):
            version = n + 1
            ch = "ab"[n % 2]
            change = {"range": {"start": {"line": target, "character": 17},
                                "end": {"line": target, "character": 18}}, "text": ch}
            t0 = time.perf_counter()
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            server.diagnostics(version)
            latencies.append((time.perf_counter() - t0) * 1000)
            if n % 100 == 0:
                rss.append((n, server.rss_kib()))
        cpu_per_edit = (server.cpu_ms() - cpu_before) / args.edits
        server.request("shutdown", None)
        server.notify("exit", None)
        server.proc.wait(timeout=10)
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"flow: {lines} lines, {len(first)} diagnostics; didOpen -> diagnostics {opened_ms:.1f} ms")
    print(f"didChange -> publishDiagnostics over {len(latencies)} edits: "
          f"median {statistics.median(latencies):.1f} ms, p95 {p(0.95):.1f} ms, "
          f"p99 {p(0.99):.1f} ms, max {latencies[-1]:.1f} ms")
    print(f"server CPU time per edit: {cpu_per_edit:.1f} ms (the lint's own cost, whatever the load)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("RSS (KiB) by edit: " + ", ".join(f"{n}: {kib}" for n, kib in rss))
    growth = rss[-1][1] - rss[1][1] if len(rss) > 2 else 0
    print(f"RSS change from edit 100 to the last: {growth:+d} KiB")
    ok = p(0.95) <= 30
    print("latency target (p95 <= 30 ms): " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
