#!/usr/bin/env bash
# Wall-clock benchmarks of the release binary (hyperfine), beside check-jsonschema.
# Not a test: the figures go in notes. Needs ../shared (corpus and synthetic schema).
#   scripts/bench.sh [SHARED_DIR]        (default ../shared)
#   BENCH_FULL=1 scripts/bench.sh         also time check-jsonschema on the whole corpus (~200 s)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
corpus="$shared/corpus/flows"
big_schema="$shared/schemas/synthetic-flow-schema.json"
[ -d "$corpus" ] || { echo "no corpus at $corpus"; exit 1; }
if ! command -v hyperfine >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq hyperfine) >/dev/null 2>&1 || {
    echo "hyperfine is not installed and could not be installed"; exit 1; }
fi
cargo build --release --locked -q
bin=$PWD/target/release/kestra-lint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$corpus" -name '*.y*ml' | sort > "$work/all.txt"
one=$(sed -n 1p "$work/all.txt")
sed -n '1~13p' "$work/all.txt" > "$work/sample.txt"   # every 13th flow: ~200 files
echo "corpus: $(wc -l < "$work/all.txt") files, $(du -sh --apparent-size "$corpus" | cut -f1);" \
     "sample for check-jsonschema: $(wc -l < "$work/sample.txt") files"

echo "== kestra-lint, embedded core schema (2.0, the default target, and 1.3)"
hyperfine --warmup 3 --runs 20 -N --ignore-failure \
  --command-name "floor: read + YAML-parse the corpus" "$bin parse-only $corpus" \
  --command-name "check the corpus (2.0)" "$bin check --isolated --quiet --output-format concise $corpus" \
  --command-name "check the corpus (1.3)" "$bin check --isolated --quiet --output-format concise --target-version 1.3 $corpus" \
  --command-name "check one flow (2.0)" "$bin check --isolated --quiet --output-format concise $one" \
  --command-name "check one flow (1.3)" "$bin check --isolated --quiet --output-format concise --target-version 1.3 $one"

echo "== Pebble parser alone, every string value of the corpus (best of 5, one thread)"
"$bin" bench-pebble "$corpus"

if [ -f "$big_schema" ]; then
  echo "== kestra-lint, 16 MB Kestra-shaped schema"
  hyperfine --warmup 2 --runs 10 -N --ignore-failure \
    --command-name "check the corpus (16 MB schema)" "$bin check --isolated --quiet --output-format concise --schema $big_schema $corpus" \
    --command-name "check one flow (16 MB schema)" "$bin check --isolated --quiet --output-format concise --schema $big_schema $one"
  /usr/bin/time -f "peak RSS, corpus with the 16 MB schema: %M KB" \
    "$bin" check --isolated --quiet --schema "$big_schema" "$corpus" >/dev/null 2>"$work/rss" || true
  tail -1 "$work/rss"

  if ! command -v check-jsonschema >/dev/null 2>&1; then
    pip install -q check-jsonschema >/dev/null 2>&1 || true
  fi
  if command -v check-jsonschema >/dev/null 2>&1; then
    # check-jsonschema rejects Kestra's `.*{{.*}}.*` pattern as not a regex: escape the braces.
    sed 's/\.\*{{\.\*}}\.\*/.*\\\\{\\\\{.*\\\\}\\\\}.*/g' "$big_schema" > "$work/escaped.json"
    # Commands with thousands of paths go in small scripts: one argument may not exceed 128 KiB.
    runner() { # NAME LISTFILE COMMAND...
      local name=$1 list=$2
      shift 2
      { printf '%q ' "$@"; tr '\n' ' ' < "$list"; echo; } > "$work/$name.sh"
      echo "bash $work/$name.sh"
    }
    echo "== same sample, both tools (16 MB schema)"
    hyperfine --runs 3 -N --ignore-failure \
      --command-name "kestra-lint (sample)" "$(runner kl_sample "$work/sample.txt" "$bin" check --isolated --quiet --schema "$big_schema")" \
      --command-name "check-jsonschema (sample)" "$(runner cj_sample "$work/sample.txt" check-jsonschema --schemafile "$work/escaped.json")"
    if [ "${BENCH_FULL:-0}" = 1 ]; then
      echo "== whole corpus, both tools (16 MB schema)"
      # kestra-lint gets a warm-up and 10 runs; check-jsonschema one run (it takes minutes).
      hyperfine --warmup 2 --runs 10 -N --ignore-failure --export-json "$work/kl.json" \
        --command-name "kestra-lint (whole corpus)" "$(runner kl_all "$work/all.txt" "$bin" check --isolated --quiet --schema "$big_schema")"
      hyperfine --runs 1 -N --ignore-failure --export-json "$work/cj.json" \
        --command-name "check-jsonschema (whole corpus)" "$(runner cj_all "$work/all.txt" check-jsonschema --schemafile "$work/escaped.json")"
      python3 - "$work/kl.json" "$work/cj.json" <<'PY'
import json, sys
kl = json.load(open(sys.argv[1]))["results"][0]["mean"]
cj = json.load(open(sys.argv[2]))["results"][0]["mean"]
print(f"ratio: check-jsonschema {cj:.1f} s / kestra-lint {kl * 1000:.0f} ms = {cj / kl:.0f}x")
PY
    fi
  else
    echo "check-jsonschema could not be installed: no comparison"
  fi
fi
