#!/usr/bin/env bash
# Wall-clock benchmarks of the release binary (hyperfine). Not a test: figures go in notes.
#   scripts/bench.sh [SHARED_DIR]    (default ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
corpus="$shared/corpus/flows"
[ -d "$corpus" ] || { echo "no corpus at $corpus"; exit 1; }
if ! command -v hyperfine >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq hyperfine) >/dev/null 2>&1 || {
    echo "hyperfine is not installed and could not be installed"; exit 1; }
fi
cargo build --release --locked -q
bin=target/release/kestra-lint
one=$(find "$corpus" -name '*.yaml' | sort | sed -n 1p)
echo "corpus: $(find "$corpus" -name '*.y*ml' | wc -l) files, $(du -sh --apparent-size "$corpus" | cut -f1)"
hyperfine --warmup 3 --runs 20 -N --ignore-failure \
  --command-name "floor: read + YAML-parse the corpus" "$bin parse-only $corpus" \
  --command-name "check the corpus" "$bin check --quiet --output-format concise $corpus" \
  --command-name "check one flow" "$bin check --quiet --output-format concise $one"
