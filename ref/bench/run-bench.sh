#!/bin/sh
# `make bench`: compile each benchmark program (C) to wasm32 with clang, run
# its `run` export on canmem-ref and on the peer engines (wabt's wasm-interp,
# wasm3), and print the speed of canmem-ref relative to each peer: the
# median, over interleaved rounds, of (peer time / canmem-ref time) in the
# same round, so that a load change on the machine hits both sides alike.
# Times are CPU seconds (perf's task clock, or user + system from
# /usr/bin/time), wall seconds when neither is there. Targets: >= 3x
# wasm-interp on each program; CoreMark >= 1.0x wasm3. A benchmark, not a test: it fails only when a required tool
# is missing or a program's self-check does not return 0; an optional peer
# that cannot be built (wasm3) or a program whose sources are absent
# (CoreMark) is said and skipped.
# Usage: run-bench.sh SRCDIR OUTDIR PROGRAM.c...   (PROGRAM paths relative
# to SRCDIR). Environment: CLANG, WASM_INTERP, CANMEM_REF (set by make),
# BENCH_ROUNDS (interleaved rounds per program; default 5), PEERS_DIR (the
# peers' sources: default SRCDIR/../shared/peers), CMAKE (default cmake),
# CM_BUILD_FLAGS (to warn when the engine was built for debugging).
set -eu

srcdir=$1
outdir=$2
shift 2
rounds=${BENCH_ROUNDS:-${BENCH_REPEAT:-5}}
peers=${PEERS_DIR:-$srcdir/../shared/peers}
cmake=${CMAKE:-cmake}

fail() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*"; }

[ -n "${CLANG:-}" ] || fail "clang not found (configure looks for clang): apt-get install clang lld"
[ -n "${WASM_INTERP:-}" ] || fail "wasm-interp not found: apt-get install wabt"
[ -x "${CANMEM_REF:-}" ] || fail "canmem-ref not built: run make first"
case " ${CM_BUILD_FLAGS:-} " in
  *-fsanitize*|*--coverage*|*" -O0 "*)
    echo "bench: warning: this build is instrumented or unoptimised ($CM_BUILD_FLAGS);" \
      "the times say little" >&2 ;;
esac
mkdir -p "$outdir"

# ---- Peers and programs that come from ../shared/peers ----

# wasm3, built once per build directory with cmake (Release, simple WASI).
wasm3=
wasm3_src=$peers/wasm3
wasm3_build=$outdir/wasm3-build
if [ -x "$wasm3_build/wasm3" ]; then
  wasm3=$wasm3_build/wasm3
elif [ ! -f "$wasm3_src/CMakeLists.txt" ]; then
  note "wasm3 skipped: no sources in $wasm3_src"
elif ! command -v "$cmake" >/dev/null 2>&1; then
  note "wasm3 skipped: cmake not found (./bootstrap installs it)"
elif { "$cmake" -S "$wasm3_src" -B "$wasm3_build" -DCMAKE_BUILD_TYPE=Release \
         -DBUILD_WASI=simple && "$cmake" --build "$wasm3_build"; } \
       >"$outdir/wasm3-build.log" 2>&1; then
  wasm3=$wasm3_build/wasm3
else
  note "wasm3 skipped: its build failed (see $outdir/wasm3-build.log)"
fi

# Pure MVP (-mcpu=mvp) runs on every engine; -fno-builtin keeps clang from
# turning bench.h's memset/memcpy loops into calls to themselves.
compile() { # OUT.wasm CLANG-ARGS...
  out_wasm=$1
  shift
  "$CLANG" --target=wasm32 -mcpu=mvp -O2 -nostdlib -fno-builtin \
    -Wl,--no-entry -Wl,--export=run -o "$out_wasm" "$@"
}

# CoreMark: EEMBC's sources from the peers directory, our port layer.
coremark_src=$peers/coremark
coremark=
if [ -f "$coremark_src/core_main.c" ]; then
  coremark=$outdir/coremark.wasm
  # core_main.c's main becomes coremark_main, which the port's run calls.
  compile "$coremark" -I"$srcdir/ref/bench/coremark" -I"$coremark_src" \
    -Dmain=coremark_main "$coremark_src"/core_list_join.c \
    "$coremark_src"/core_main.c "$coremark_src"/core_matrix.c \
    "$coremark_src"/core_state.c "$coremark_src"/core_util.c \
    "$srcdir/ref/bench/coremark/core_portme.c" ||
    fail "cannot compile CoreMark to wasm32"
else
  note "coremark skipped: no sources in $coremark_src"
fi

# ---- Timing ----

out=$outdir/.bench-output
tfile=$outdir/.bench-time
# CPU time from perf's task clock (microseconds) where perf works, else
# from /usr/bin/time (10 ms steps), else wall time.
if perf stat -x, -e task-clock -o "$tfile" true >/dev/null 2>&1 &&
   grep -q task-clock "$tfile"; then
  timer="CPU seconds (perf task-clock)"
elif [ -x /usr/bin/time ]; then
  timer="CPU seconds (/usr/bin/time)"
else
  timer="wall seconds"
fi

# Time of one run of "$@" (see $timer); its output goes to $out.
time_once() {
  if [ "$timer" = "CPU seconds (perf task-clock)" ]; then
    perf stat -x, -e task-clock -o "$tfile" "$@" >"$out" 2>&1 || true
    awk -F, '/task-clock/ { printf "%.4f", $1 / 1000 }' "$tfile"
  elif [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%U %S' -o "$tfile" "$@" >"$out" 2>&1 || true
    awk '{ printf "%.3f", $1 + $2 }' "$tfile"
  else
    start=$(date +%s%N)
    "$@" >"$out" 2>&1 || true
    end=$(date +%s%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
  fi
}

median() { # the median of the numbers on stdin
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-";
    else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# The result line of each engine for `run`, normalised to "i32:N".
result_of() { # ENGINE
  case $1 in
    interp) sed -n 's/^run() => //p' "$out" ;;
    ours) head -n 1 "$out" ;;
    wasm3) sed -n 's/^Result: \(.*\)$/i32:\1/p' "$out" ;;
  esac
}

run_engine() { # ENGINE WASM
  case $1 in
    interp) time_once "$WASM_INTERP" "$2" --run-all-exports ;;
    ours) time_once "$CANMEM_REF" run "$2" run ;;
    wasm3) time_once "$wasm3" --func run "$2" ;;
  esac
}

engines="interp ours"
[ -n "$wasm3" ] && engines="$engines wasm3"

echo "$rounds interleaved rounds per program, medians of $timer;" \
  "x = peer time / canmem-ref time in the same round"
printf '%-10s %12s %12s %12s %10s %10s\n' program wasm-interp canmem-ref wasm3 \
  vs-interp vs-wasm3
status=0
speedups=
below_target=
programs=
for program in "$@"; do programs="$programs $srcdir/$program"; done
[ -n "$coremark" ] && programs="$programs $coremark"
for program in $programs; do
  name=$(basename "$program" .c)
  name=$(basename "$name" .wasm)
  case $program in
    *.wasm) wasm=$program ;;
    *) wasm=$outdir/$name.wasm
       compile "$wasm" "$program" ||
         fail "cannot compile $program to wasm32 (clang needs lld for wasm-ld: apt-get install lld)" ;;
  esac

  failed=
  for e in $engines; do : >"$outdir/.t.$e"; done
  : >"$outdir/.r.interp"; : >"$outdir/.r.wasm3"
  r=0
  while [ "$r" -lt "$rounds" ] && [ -z "$failed" ]; do
    for e in $engines; do
      t=$(run_engine "$e" "$wasm")
      res=$(result_of "$e")
      if [ "$res" != "i32:0" ]; then
        failed="$e returned ${res:-(no result)}"
        break
      fi
      echo "$t" >>"$outdir/.t.$e"
      eval "t_$e=\$t"
    done
    if [ -z "$failed" ]; then
      ratio "$t_interp" "$t_ours" >>"$outdir/.r.interp"; echo >>"$outdir/.r.interp"
      if [ -n "$wasm3" ]; then
        ratio "$t_wasm3" "$t_ours" >>"$outdir/.r.wasm3"; echo >>"$outdir/.r.wasm3"
      fi
    fi
    r=$((r + 1))
  done
  if [ -n "$failed" ]; then
    printf '%-10s self-check failed: %s\n' "$name" "$failed"
    status=1
    continue
  fi
  m_interp=$(median <"$outdir/.t.interp")
  m_ours=$(median <"$outdir/.t.ours")
  m_wasm3=-
  x_wasm3=-
  if [ -n "$wasm3" ]; then
    m_wasm3=$(median <"$outdir/.t.wasm3")
    x_wasm3=$(median <"$outdir/.r.wasm3")x
  fi
  x_interp=$(median <"$outdir/.r.interp")
  printf '%-10s %12s %12s %12s %10s %10s\n' "$name" "$m_interp" "$m_ours" "$m_wasm3" \
    "${x_interp}x" "$x_wasm3"
  speedups="$speedups $x_interp"
  awk -v s="$x_interp" 'BEGIN { exit !(s < 3) }' && below_target="$below_target $name"
  if [ "$name" = coremark ] && [ -n "$wasm3" ]; then
    coremark_vs_wasm3=$x_wasm3
  fi
done
rm -f "$out" "$tfile" "$outdir"/.t.* "$outdir"/.r.*

if [ -n "$speedups" ]; then
  echo "$speedups" | awk '{ p = 0; for (i = 1; i <= NF; i++) p += log($i);
    printf "geometric mean speedup over wasm-interp: %.2fx over %d programs\n", exp(p / NF), NF }'
  if [ -n "$below_target" ]; then
    echo "target (>= 3x faster than wasm-interp on each) not met by:$below_target"
  else
    echo "target (>= 3x faster than wasm-interp on each) met"
  fi
fi
if [ -n "${coremark_vs_wasm3:-}" ]; then
  if awk -v s="${coremark_vs_wasm3%x}" 'BEGIN { exit !(s >= 1) }'; then
    echo "target (CoreMark >= 1.0x wasm3) met: $coremark_vs_wasm3"
  else
    echo "target (CoreMark >= 1.0x wasm3) not met: $coremark_vs_wasm3"
  fi
fi
exit $status
