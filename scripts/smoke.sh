#!/usr/bin/env bash
# Run the release binary over Kestra's test flows and the real corpus. Findings are fine
# (exit 0 or 1); a tool failure (exit 2), a panic, or a crash fails the run.
set -uo pipefail
shared=${1:-../shared}
bin=${KESTRA_LINT:-target/release/kestra-lint}
status=0
for dir in "$shared/kestra-tests" "$shared/corpus/flows" "$shared/corpus/invalid"; do
  [ -d "$dir" ] || continue
  err=$(mktemp)
  "$bin" check --output-format concise --quiet "$dir" >/dev/null 2>"$err"
  code=$?
  if [ "$code" -ne 0 ] && [ "$code" -ne 1 ] || grep -q "panicked" "$err"; then
    echo "FAIL: $dir: exit $code"
    cat "$err"
    status=1
  else
    echo "ok: $dir (exit $code)"
  fi
  rm -f "$err"
done
exit $status
