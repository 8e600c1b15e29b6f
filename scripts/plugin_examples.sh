#!/usr/bin/env bash
# Schema findings over the plugin repositories' own example flows (target 2.0):
# the number of files with at least one error-severity finding whose code starts with S,
# then those error findings by code.
#
#   scripts/plugin_examples.sh [SHARED_DIR]     # SHARED_DIR defaults to ../shared
#
# KESTRA_LINT selects the binary (default: target/release/kestra-lint; build it first with
# `cargo build --release --locked`).
set -euo pipefail
shared=${1:-../shared}
bin=${KESTRA_LINT:-${CARGO_TARGET_DIR:-target}/release/kestra-lint}
shopt -s globstar nullglob
files=("$shared"/corpus/flows/kestra-io__plugin-*/**/*.y*ml)
echo "files: ${#files[@]}"
"$bin" check --isolated --target-version 2.0 --output-format json --exit-zero "${files[@]}" |
python3 -c '
import collections, json, sys
findings = [f for f in json.load(sys.stdin) if f["severity"] == "error" and f["code"].startswith("S")]
print("files with an S error:", len({f["filename"] for f in findings}))
for code, n in sorted(collections.Counter(f["code"] for f in findings).items()):
    print(f"{n:6}  {code}")
'
