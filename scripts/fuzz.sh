#!/usr/bin/env bash
# Run every cargo-fuzz target in fuzz/ for a fixed time (FUZZ_SECONDS, default 20 s each),
# seeded with the test fixtures. cargo-fuzz needs nightly compiler flags: with a stable
# toolchain RUSTC_BOOTSTRAP=1 allows them. Installs cargo-fuzz from crates.io when it is
# missing; skips, saying why, when it cannot be installed or the targets cannot be built.
# A crash fails (exit 1) and leaves its input in fuzz/artifacts/<target>/.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${FUZZ_SECONDS:-20}
skip() { echo "== fuzz: skipped: $*"; exit 0; }

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== fuzz: installing cargo-fuzz (bounded to 15 minutes)"
  timeout 900 cargo install cargo-fuzz --locked --quiet >/dev/null 2>&1 \
    || skip "cargo-fuzz is not installed and could not be installed"
fi
export RUSTC_BOOTSTRAP=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
timeout 1200 cargo fuzz build -O >"$log" 2>&1
built=$?
if [ "$built" = 124 ]; then
  skip "building the fuzz targets took over 20 minutes"
elif [ "$built" != 0 ]; then
  tail -n 20 "$log"
  # A compile error in the targets (the library's API moved) is ours to fix, not a skip.
  if grep -q '^error\[E[0-9]' "$log"; then
    echo "== fuzz: FAIL: the fuzz targets do not compile against the library"
    exit 1
  fi
  skip "the fuzz targets do not build with this toolchain (cargo-fuzz needs nightly flags)"
fi
failed=0
for target in $(cargo fuzz list); do
  mkdir -p "corpus/$target"
  echo "== fuzz: $target for ${secs} s"
  if ! cargo fuzz run -O "$target" "corpus/$target" ../tests/fixtures -- \
      -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "== fuzz: $target FAILED (input saved under fuzz/artifacts/$target/)"
    failed=1
    continue
  fi
  grep -E '^Done [0-9]+ runs' "$log" | sed "s/^/   $target: /"
done
exit "$failed"
