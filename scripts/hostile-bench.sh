#!/usr/bin/env bash
# Wall time and peak memory of the release binary on hostile input (issue 16), measured with
# `/usr/bin/time -v`. Targets: under 2 s and under 500 MB each. Not a test: prints a table,
# exits 1 when a case misses a target or gives an exit code other than 0, 1 or 2.
#   scripts/hostile-bench.sh            (builds the release binary first)
#   BIN=path/to/kestra-lint scripts/hostile-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/time ]; then
  (apt-get update -qq && apt-get install -y -qq time) >/dev/null 2>&1 || {
    echo "GNU time (/usr/bin/time) is not installed and could not be installed"; exit 1; }
fi
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -q
  BIN=$PWD/target/release/kestra-lint
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

head='id: hostile
namespace: company.team
tasks:
  - id: t
    type: io.kestra.plugin.core.log.Log
    message: hi'

# --- inputs -------------------------------------------------------------------------------
rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }
{ printf 'id: '; rep 'a ' 100000; printf '\nnamespace: n\ntasks: []\n'; } > id-200k.yml
{ printf 'id: '; rep 'a ' 500000; printf '\nnamespace: n\ntasks: []\n'; } > id-1m.yml
{ printf 'namespace: '; rep 'A ' 500000; printf '\nid: f\ntasks: []\n'; } > ns-1m.yml
anchors() { # N anchors under a task's labels: one Y003 finding each
  printf '%s\n    labels:\n' "$head"
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "      k%d: &a%d v\n", i, i }'
}
anchors 40000 > findings-40k.yml
{ printf '%s\n    x:\n' "$head"  # 450,000 anchors in 9.7 MB, as in the issue
  awk 'BEGIN { for (i = 0; i < 450000; i++) printf "      - &a%d vv\n", i }'; } > anchors-450k.yml
anchors 100000 > findings-100k.yml
mkdir ring
awk -v n=3000 'BEGIN { for (i = 0; i < n; i++) {
  f = sprintf("ring/f%d.yml", i)
  printf "id: f%d\nnamespace: company.team\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: company.team\n    flowId: f%d\n", i, (i + 1) % n > f
  close(f) } }'
awk -v n=8000 'BEGIN { printf "id: f\nnamespace: company.team\ntasks:\n"
  for (i = 0; i < n; i++)
    printf "  - id: task_%04d\n    type: io.kestra.plugin.core.log.Log\n    message: \"{{ outputs.tsak_%04d.value }}\"\n", i, i }' > p101-8000.yml
{ printf '%s\n    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n' "$head"
  for i in 1 2 3 4 5 6 7 8 9; do
    printf '    a%d: &a%d [' "$i" "$i"; rep "*a$((i - 1)), " 9; printf '*a%d]\n' "$((i - 1))"
  done; } > alias-bomb.yml
{ printf '%s\n    x: ' "$head"; rep '[' 1000000; printf '\n'; } > nest-flow-1m.yml
{ printf '%s\n    x:\n' "$head"; rep '- ' 1000000; printf '\n'; } > nest-block-1m.yml
{ printf '%s\n    description: ' "$head"; rep 'a' 10000000; printf '\n'; } > scalar-10mb.yml
head -c 10000000 /dev/urandom > binary-10mb.yml
{ printf '%s\n    description: caf' "$head"; printf '\351\n'; } > latin1.yml
mkdir special
mkfifo special/pipe.yaml
ln -s /dev/zero special/zero.yaml
printf '%s\n' "$head" > special/ok.yml

# --- runs ---------------------------------------------------------------------------------
failed=0
printf '%-34s %4s %8s %9s  %s\n' case exit "wall s" "peak MB" "stdout"
run() { # name, then the command line (a shell snippet; $BIN is the binary); INFO=1: no target
  local name=$1 cmd=$2
  /usr/bin/time -v -o time.txt timeout 60 sh -c "$cmd" > out.txt 2> err.txt && rc=0 || rc=$?
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
    for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' time.txt)
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' time.txt)
  local note="" over=0
  if [ "$rc" -gt 2 ]; then note="EXIT $rc"; failed=1; fi
  if awk -v w="$wall" 'BEGIN { exit !(w >= 2) }'; then note="$note SLOW"; over=1; fi
  if [ "$rss" -ge 500 ]; then note="$note BIG"; over=1; fi
  if [ "${INFO:-0}" = 1 ]; then note="$note (limits lifted: for information)"
  elif [ "$over" = 1 ]; then failed=1; fi
  printf '%-34s %4s %8s %9s  %s %s\n' "$name" "$rc" "$wall" "$rss" \
    "$(wc -c < out.txt | tr -d ' ')B" "$note"
}
export BIN
c="\"\$BIN\" check --isolated"
run "long id 200 KB (full)"          "$c id-200k.yml"
run "long id 1 MB (full)"            "$c id-1m.yml"
run "long namespace 1 MB (full)"     "$c ns-1m.yml"
run "40k findings (full)"            "$c findings-40k.yml"
INFO=1 run "40k findings, no caps (full)" "$c --max-findings-per-rule 0 --max-findings-per-file 0 findings-40k.yml"
run "100k findings (json)"           "$c --output-format json findings-100k.yml"
run "450k anchors 9.7 MB (sarif)"    "$c --output-format sarif anchors-450k.yml"
run "450k anchors 9.7 MB (json)"     "$c --output-format json anchors-450k.yml"
INFO=1 run "450k anchors, no caps (json)" "$c --output-format json --max-findings-per-rule 0 --max-findings-per-file 0 anchors-450k.yml"
run "ring of 3000 subflows (full)"   "$c ring"
run "P101 over 8000 tasks (full)"    "$c p101-8000.yml"
run "alias bomb (full)"              "$c alias-bomb.yml"
run "1M-deep flow nesting (full)"    "$c nest-flow-1m.yml"
run "1M-deep block nesting (full)"   "$c nest-block-1m.yml"
run "10 MB scalar (full)"            "$c scalar-10mb.yml"
run "10 MB binary (full)"            "$c binary-10mb.yml"
run "invalid UTF-8 (full)"           "$c latin1.yml"
run "FIFO on the command line"       "$c special/pipe.yaml"
run "symlink to /dev/zero"           "$c special/zero.yaml"
run "FIFO and /dev/zero in a folder" "$c -v special"
run "stdout closed"                  "$c special/ok.yml >&-"
run "stdin closed"                   "$c - <&-"
exit "$failed"
