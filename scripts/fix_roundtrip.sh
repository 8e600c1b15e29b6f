#!/usr/bin/env bash
# `check --diff` and `check --fix` over a writable copy of the real-flow corpus must agree:
# the diff, applied with `patch` to a second copy, gives exactly the tree `--fix` wrote, and
# a second `--diff` over the fixed tree finds nothing (every fix is applied in one run).
set -euo pipefail
corpus=${1:-../shared/corpus/flows}
bin=$(realpath "${KESTRA_LINT:-target/release/kestra-lint}")
[ -d "$corpus" ] || { echo "== $corpus not found: skipping the fix round trip"; exit 0; }
if ! command -v patch >/dev/null 2>&1; then
  (apt-get install -y -qq patch >/dev/null 2>&1 || sudo apt-get install -y -qq patch >/dev/null 2>&1) || true
fi
command -v patch >/dev/null 2>&1 || { echo "FAIL: patch is needed and could not be installed"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/fixed"
chmod -R u+w "$work/fixed" # the corpus may be read-only, and --fix leaves read-only files alone
cp -r "$work/fixed" "$work/patched"
set +e
(cd "$work/fixed" && "$bin" check --no-cache --diff . >"$work/diff" 2>"$work/diff.err")
code=$?
set -e
[ "$code" -le 1 ] || { echo "FAIL: --diff exited $code"; cat "$work/diff.err"; exit 1; }
(cd "$work/fixed" && "$bin" check --no-cache --quiet --fix . >/dev/null 2>"$work/fix.err") || [ $? -eq 1 ] ||
  { echo "FAIL: --fix failed"; cat "$work/fix.err"; exit 1; }
(cd "$work/patched" && patch -p0 -s <"$work/diff")
diff -r "$work/fixed" "$work/patched" >/dev/null ||
  { echo "FAIL: --diff applied with patch differs from what --fix wrote"; exit 1; }
(cd "$work/fixed" && "$bin" check --no-cache --diff . >/dev/null 2>&1) ||
  { echo "FAIL: a second --diff still finds fixes"; exit 1; }
echo "ok: fix round trip over $corpus ($(grep -c '^--- ' "$work/diff" || true) files, $(tail -1 "$work/diff.err"))"
