#!/bin/sh
# `make bench`: compile each benchmark program (C) to wasm32 with clang, run
# its `run` export on canmem-ref and on wabt's wasm-interp, and print both
# times and the speedup (wasm-interp time / canmem-ref time; the target is
# >= 3x on each). A benchmark, not a test: it fails only when a tool is
# missing or a program's self-check does not return 0.
# Usage: run-bench.sh SRCDIR OUTDIR PROGRAM.c...   (PROGRAM paths relative
# to SRCDIR). Environment: CLANG, WASM_INTERP, CANMEM_REF (set by make),
# BENCH_REPEAT (runs per engine, the best time counts; default 1),
# CM_BUILD_FLAGS (to warn when the engine was built for debugging).
set -eu

srcdir=$1
outdir=$2
shift 2
repeat=${BENCH_REPEAT:-1}

fail() { echo "bench: $*" >&2; exit 1; }

[ -n "${CLANG:-}" ] || fail "clang not found (configure looks for clang): apt-get install clang lld"
[ -n "${WASM_INTERP:-}" ] || fail "wasm-interp not found: apt-get install wabt"
[ -x "${CANMEM_REF:-}" ] || fail "canmem-ref not built: run make first"
case " ${CM_BUILD_FLAGS:-} " in
  *-fsanitize*|*--coverage*|*" -O0 "*)
    echo "bench: warning: this build is instrumented or unoptimised ($CM_BUILD_FLAGS);" \
      "the times say little" >&2 ;;
esac
mkdir -p "$outdir"

# Time of one run of "$@" in seconds (3 decimals); its stdout goes to $out.
out=$outdir/.bench-output
time_once() {
  start=$(date +%s%N)
  "$@" >"$out" 2>&1 || true
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}

# Best of $repeat runs; the output of the last run stays in $out.
best_time() {
  best=
  i=0
  while [ "$i" -lt "$repeat" ]; do
    t=$(time_once "$@")
    best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b ? a : b) }')
    i=$((i + 1))
  done
  echo "$best"
}

printf '%-10s %12s %12s %9s\n' program wasm-interp canmem-ref speedup
status=0
speedups=
below_target=
for program in "$@"; do
  name=$(basename "$program" .c)
  wasm=$outdir/$name.wasm
  # Pure MVP (-mcpu=mvp) runs on both engines; -fno-builtin keeps clang from
  # turning bench.h's memset/memcpy loops into calls to themselves.
  "$CLANG" --target=wasm32 -mcpu=mvp -O2 -nostdlib -fno-builtin \
    -Wl,--no-entry -Wl,--export=run -o "$wasm" "$srcdir/$program" ||
    fail "cannot compile $program to wasm32 (clang needs lld for wasm-ld: apt-get install lld)"

  interp_time=$(best_time "$WASM_INTERP" "$wasm" --run-all-exports)
  interp_result=$(sed -n 's/^run() => //p' "$out")
  ours_time=$(best_time "$CANMEM_REF" run "$wasm" run)
  ours_result=$(cat "$out")

  if [ "$interp_result" != "i32:0" ] || [ "$ours_result" != "i32:0" ]; then
    printf '%-10s self-check failed: wasm-interp %s, canmem-ref %s\n' "$name" \
      "${interp_result:-(no result)}" "$(echo "$ours_result" | head -n 1)"
    status=1
    continue
  fi
  speedup=$(awk -v a="$interp_time" -v b="$ours_time" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  printf '%-10s %11ss %11ss %8sx\n' "$name" "$interp_time" "$ours_time" "$speedup"
  speedups="$speedups $speedup"
  awk -v s="$speedup" 'BEGIN { exit !(s < 3) }' && below_target="$below_target $name"
done
rm -f "$out"

if [ -n "$speedups" ]; then
  echo "$speedups" | awk '{ p = 0; for (i = 1; i <= NF; i++) p += log($i);
    printf "geometric mean speedup: %.2fx over %d programs\n", exp(p / NF), NF }'
  if [ -n "$below_target" ]; then
    echo "target (>= 3x faster than wasm-interp on each) not met by:$below_target"
  else
    echo "target (>= 3x faster than wasm-interp on each) met"
  fi
fi
exit $status
