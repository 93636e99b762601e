#!/bin/sh
# Coverage of a runtime under test (docs/coverage.md), for `make
# coverage-runtime RUNTIME=...`: prepares each runtime for coverage and
# hands the rest to one canmem-driver --coverage command (the run, the
# lcov files, the HTML reports, the view by rule), which is also what a
# user of an installed canmem runs on their own runtime.
#
#   coverage-runtime.sh SRCDIR OUTDIR RUNTIME...
#
# RUNTIME is wasm2c (the adapter's C code, rebuilt with --coverage into
# OUTDIR/wasm2c; the canisters' generated code is not counted) or v8 (the
# Node host, host.js and instrument.js, through NODE_V8_COVERAGE).
# Environment: CC, CFLAGS_COV, DL_LIBS, PYTHON3, CANMEM_RUN (the runner),
# LCOV and GENHTML (for the driver), COVERAGE_PATHS (the vectors, default
# all), COVERAGE_PROFILE (default ic-current), COVERAGE_BY_RULE=1 for the
# view by rule too (the rules matching the glob COVERAGE_RULES, default
# all).
# CC, CFLAGS_COV and COVERAGE_PATHS are word lists on purpose.
# shellcheck disable=SC2086
set -u
srcdir=$1
out=$2
shift 2
: "${CC:=cc}" "${PYTHON3:=python3}" "${DL_LIBS:=}" "${COVERAGE_PATHS:=}"
: "${CANMEM_RUN:=runner/canmem-run}" "${COVERAGE_PROFILE:=ic-current}"

die() { echo "coverage-runtime: $*" >&2; exit 2; }

# The adapter's sources compiled again with --coverage: the objects (and so
# the .gcno and .gcda files) stay in $dir/obj, apart from the normal build.
wasm2c() {
  dir=$out/wasm2c
  rm -rf "$dir" && mkdir -p "$dir/obj" || return 1
  src=$srcdir/runner/adapters/wasm2c
  objs=
  for c in adapter sysapi module features build journal stable; do
    $CC -std=c11 ${CFLAGS_COV:--O0 -g} --coverage -fPIC \
      -I"$srcdir/ref/engine" -I"$srcdir/ref/abi" -I"$src" \
      -Irunner/adapters/wasm2c -c "$src/$c.c" -o "$dir/obj/$c.o" || return 1
    objs="$objs $dir/obj/$c.o"
  done
  # shellcheck disable=SC2086 # word lists
  $CC -shared --coverage -o "$dir/canmem-wasm2c-adapter.so" $objs $DL_LIBS
}

test $# -gt 0 || die "usage: coverage-runtime.sh SRCDIR OUTDIR wasm2c|v8..."
runtimes=$*
set --
for runtime in $runtimes; do
  case $runtime in
    wasm2c)
      wasm2c || die "cannot build the wasm2c adapter for coverage"
      set -- "$@" --runtime "wasm2c=$out/wasm2c/canmem-wasm2c-adapter.so" \
        --counters "wasm2c=gcov:$out/wasm2c/obj" \
        --coverage-include '*/runner/adapters/wasm2c/*' ;;
    v8)
      # Node writes V8's block coverage of each process into
      # NODE_V8_COVERAGE when it exits: host.js and instrument.js are kept.
      adapter=runner/adapters/v8/.libs/canmem-v8-adapter.so
      test -f "$adapter" || die "$adapter is not built (make)"
      set -- "$@" --runtime "v8=$adapter" --counters v8=v8 \
        --coverage-include '*/runner/adapters/v8/host.js' \
        --coverage-include '*/runner/adapters/v8/instrument.js' ;;
    *) die "unknown runtime '$runtime' (wasm2c, v8)" ;;
  esac
done
test "${COVERAGE_BY_RULE:-0}" = 0 ||
  set -- "$@" --coverage-by-rule "${COVERAGE_RULES:-*}"
# shellcheck disable=SC2086 # COVERAGE_PATHS is a list of paths
exec "$PYTHON3" "$srcdir/runner/driver.py" --canmem-run "$CANMEM_RUN" \
  --suite "$srcdir/suite" --profile "$COVERAGE_PROFILE" --coverage "$out" \
  "$@" $COVERAGE_PATHS
