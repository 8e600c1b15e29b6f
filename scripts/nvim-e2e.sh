#!/usr/bin/env bash
# End-to-end test of `kestra-lint server` with a real editor: headless Neovim opens the flow of
# tests/fixtures/nvim/ (copied to a temporary folder), receives diagnostics, applies a code
# action and checks the buffer (scripts/nvim-e2e.lua). Exit 0 on success.
# Usage: scripts/nvim-e2e.sh path/to/kestra-lint
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 KESTRA_LINT_BINARY" >&2
  exit 2
fi
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
command -v nvim >/dev/null || { echo "nvim-e2e: nvim not found (apt-get install neovim)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.git"
cp "$repo/tests/fixtures/nvim/flow.yml" "$work/flow.yml"
XDG_CACHE_HOME="$work/.cache" KESTRA_LINT_BIN="$bin" E2E_FLOW="$work/flow.yml" \
  timeout 60 nvim --headless --clean -c "luafile $here/nvim-e2e.lua" </dev/null
