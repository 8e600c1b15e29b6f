#!/usr/bin/env bash
# `kestra-lint migrate --unsafe-fixes` over a writable copy of a flows folder (default: the
# real-flow corpus), checked by scripts/migrate_corpus.py with PyYAML, an independent YAML
# library: every changed file parses, its data differs from the original only inside the
# targets the applied fixes declared, every comment survives unless it sat in a removed entry,
# and a second run changes nothing. Prints files changed, fixes per code and kind, and what
# still blocks Kestra 2.0 by code; exits 1 on any violation.
set -euo pipefail
corpus=${1:-../shared/corpus/flows}
bin=$(realpath "${KESTRA_LINT:-target/release/kestra-lint}")
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$corpus" ] || { echo "== $corpus not found: skipping the migration check"; exit 0; }
if ! python3 -c 'import yaml' 2>/dev/null; then
  timeout 120 python3 -m pip install -q pyyaml 2>/dev/null ||
    timeout 120 python3 -m pip install -q --break-system-packages pyyaml 2>/dev/null ||
    (apt-get install -y -qq python3-yaml >/dev/null 2>&1) || true
fi
python3 -c 'import yaml' 2>/dev/null || { echo "FAIL: PyYAML is needed and could not be installed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/before"
chmod -R u+w "$work/before" # the corpus may be read-only, and migrate leaves read-only files alone
cp -r "$work/before" "$work/after"
run() { # run DIR OUT: migrate DIR in place, JSON report to OUT; exit 0 or 1 expected
  set +e
  (cd "$1" && "$bin" migrate --isolated --unsafe-fixes --output-format json . >"$2" 2>"$2.err")
  local code=$?
  set -e
  [ "$code" -le 1 ] || { echo "FAIL: migrate exited $code"; cat "$2.err"; exit 1; }
}
run "$work/after" "$work/first.json"
grep -c 'was not applied' "$work/first.json.err" >/dev/null && grep 'was not applied' "$work/first.json.err" | head -20 || true
run "$work/after" "$work/second.json"
python3 "$here/migrate_corpus.py" "$work/before" "$work/after" "$work/first.json" "$work/second.json"
