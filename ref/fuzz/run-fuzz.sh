#!/bin/sh
# `make fuzz`: build the libFuzzer harness (ref/fuzz/fuzz_module.c plus the
# engine sources, clang -fsanitize=fuzzer,address,undefined), gather seeds
# (the hand-written modules in ref/fuzz/seeds, .wat and, where wabt has no
# text syntax for a feature, .wasm, and, when the spec test suite is there,
# every module of its scripts), and fuzz for FUZZ_SECONDS.
# Usage: run-fuzz.sh SRCDIR OUTDIR ENGINE-SOURCE.c...  (sources relative to
# SRCDIR). Environment: CLANG, WAT2WASM, WAST2JSON, CANMEM_SPEC_DIR,
# CM_ENGINE_DEFS (the engine's build defines, so the same dispatch loop is
# fuzzed), FUZZ_SECONDS (default 60), FUZZ_FLAGS (more libFuzzer options).
# New inputs go to OUTDIR/corpus, crashes to OUTDIR/crash-*; replay one with
# OUTDIR/fuzz_module FILE.
set -eu

srcdir=$1
outdir=$2
shift 2
seconds=${FUZZ_SECONDS:-60}

fail() { echo "fuzz: $*" >&2; exit 1; }
[ -n "${CLANG:-}" ] || fail "clang not found: apt-get install clang libclang-rt-14-dev"
[ -n "${WAT2WASM:-}" ] || fail "wat2wasm not found: apt-get install wabt"

mkdir -p "$outdir/corpus" "$outdir/seed-wasm"

sources=
for f in "$@"; do
  sources="$sources $srcdir/$f"
done
echo "fuzz: building $outdir/fuzz_module"
# shellcheck disable=SC2086 # lists of paths and flags without spaces
"$CLANG" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all ${CM_ENGINE_DEFS:-} -I"$srcdir/ref/engine" \
  -o "$outdir/fuzz_module" "$srcdir/ref/fuzz/fuzz_module.c" $sources -lm ||
  fail "cannot build the harness (libFuzzer comes with libclang-rt-14-dev)"

for wat in "$srcdir"/ref/fuzz/seeds/*.wat; do
  "$WAT2WASM" --enable-memory64 --enable-tail-call "$wat" \
    -o "$outdir/seed-wasm/$(basename "$wat" .wat).wasm"
done
cp "$srcdir"/ref/fuzz/seeds/*.wasm "$outdir/seed-wasm/"

# The spec suite's modules, valid and invalid alike, converted once.
spec_dir=${CANMEM_SPEC_DIR:-}
if [ -n "$spec_dir" ] && [ -d "$spec_dir" ] && [ -n "${WAST2JSON:-}" ] &&
  [ ! -f "$outdir/seed-wasm/.spec-done" ]; then
  echo "fuzz: adding the modules of $spec_dir as seeds"
  scratch=$outdir/seed-wasm/.spec
  mkdir -p "$scratch"
  for wast in "$spec_dir"/*.wast "$spec_dir"/proposals/memory64/*.wast \
    "$spec_dir"/proposals/tail-call/*.wast; do
    [ -f "$wast" ] || continue
    name=$(basename "$wast" .wast)
    case $wast in
      */memory64/*) name=memory64-$name ;;
      */tail-call/*) name=tail-call-$name ;;
    esac
    "$WAST2JSON" --enable-memory64 --enable-tail-call "$wast" \
      -o "$scratch/$name.json" >/dev/null 2>&1 || continue
  done
  for wasm in "$scratch"/*.wasm; do
    [ -f "$wasm" ] && mv "$wasm" "$outdir/seed-wasm/spec-$(basename "$wasm")"
  done
  rm -rf "$scratch"
  touch "$outdir/seed-wasm/.spec-done"
fi
echo "fuzz: $(find "$outdir/seed-wasm" -name '*.wasm' | wc -l) seed modules;" \
  "fuzzing for $seconds s"

# shellcheck disable=SC2086 # FUZZ_FLAGS is a list of options
"$outdir/fuzz_module" -max_total_time="$seconds" -print_final_stats=1 \
  -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$outdir/" \
  ${FUZZ_FLAGS:-} "$outdir/corpus" "$outdir/seed-wasm"
echo "fuzz: no crash in $seconds s; corpus in $outdir/corpus"
