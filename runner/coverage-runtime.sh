#!/bin/sh
# Coverage of a runtime under test (docs/coverage.md), for `make
# coverage-runtime RUNTIME=...`: runs the vectors on the runtime built or
# started for coverage, and writes an lcov file and an HTML report.
#
#   coverage-runtime.sh SRCDIR OUTDIR RUNTIME...
#
# RUNTIME is wasm2c (the adapter's C code, rebuilt with --coverage into
# OUTDIR/wasm2c; the canisters' generated code is not counted) or v8 (the
# Node host, host.js and instrument.js, through NODE_V8_COVERAGE and
# runner/v8cov2lcov.py). Environment: CC, CFLAGS_COV, DL_LIBS, LCOV,
# GENHTML, PYTHON3, WAT2WASM, CANMEM_RUN (the runner), COVERAGE_PATHS (the
# vectors, default SRCDIR/vectors), COVERAGE_PROFILE (default ic-current),
# COVERAGE_BY_RULE=1 for the view by rule too (one run per rule of the
# catalogue matching the glob COVERAGE_RULES, default all).
# LCOV_RC and the word lists split on purpose (SC2086); the measure
# functions are called through a variable (SC2317).
# shellcheck disable=SC2086,SC2317
set -u
srcdir=$1
out=$2
shift 2
: "${CC:=cc}" "${LCOV:=lcov}" "${GENHTML:=genhtml}" "${PYTHON3:=python3}"
: "${CANMEM_RUN:=runner/canmem-run}" "${COVERAGE_PROFILE:=ic-current}"
: "${COVERAGE_PATHS:=$srcdir/vectors}" "${DL_LIBS:=}"
LCOV_RC="--rc lcov_branch_coverage=1"
status=0

die() { echo "coverage-runtime: $*" >&2; exit 2; }

# canmem-run over the vectors; its TAP goes to $1/run.tap.
run_suite() {
  dir=$1
  shift
  # shellcheck disable=SC2086 # COVERAGE_PATHS is a list of paths
  "$CANMEM_RUN" --coverage --suite "$srcdir/suite" \
    --profile "$COVERAGE_PROFILE" "$@" $COVERAGE_PATHS > "$dir/run.tap" 2>&1
  echo "$runtime: $(tail -n 1 "$dir/run.tap") ($dir/run.tap)"
}

# The rules of the view by rule, one a line.
rules() {
  sed -n 's/^\([A-Z][A-Z0-9-]*\)  .*/\1/p' "$srcdir/suite/rules.txt" |
  while read -r rule; do
    # shellcheck disable=SC2254 # COVERAGE_RULES is a glob
    case $rule in ${COVERAGE_RULES:-*}) echo "$rule" ;; esac
  done
}

# by_rule DIR MEASURE ARG...: for each rule that vectors check, clears the
# counters, runs those vectors, and has MEASURE (a function: DIR, the
# rule's lcov test name) append their lcov records to DIR/by-rule.info;
# then the HTML view, where each file lists the lines each rule reached.
by_rule() {
  dir=$1 measure=$2
  shift 2
  : >"$dir/by-rule.info"
  for rule in $(rules); do
    # shellcheck disable=SC2086 # COVERAGE_PATHS is a list of paths
    "$CANMEM_RUN" --suite "$srcdir/suite" --rule "$rule" --list-paths \
      $COVERAGE_PATHS 2>/dev/null | grep -q . || continue
    find "$dir" -name '*.gcda' -exec rm -f {} +
    rm -rf "$dir/raw" && mkdir -p "$dir/raw"
    # shellcheck disable=SC2086
    NODE_V8_COVERAGE=$(cd "$dir/raw" && pwd) "$CANMEM_RUN" --coverage \
      --suite "$srcdir/suite" --profile "$COVERAGE_PROFILE" --rule "$rule" \
      "$@" $COVERAGE_PATHS >/dev/null 2>&1
    $measure "$dir" "$(echo "$rule" | tr -c 'A-Za-z0-9\n' _)" >>"$dir/by-rule.info" ||
      return 1
  done
  test -s "$dir/by-rule.info" || { echo "$runtime: no rule selected"; return 1; }
  $GENHTML --quiet --show-details --legend --title "$runtime by rule" \
    --output-directory "$dir/html-by-rule" "$dir/by-rule.info" || return 1
  echo "$runtime coverage by rule: $dir/html-by-rule/index.html"
}

wasm2c_measure() {
  $LCOV --quiet $LCOV_RC --capture --directory "$1/obj" --test-name "$2" \
    --output-file "$1/rule-all.info" >/dev/null &&
  $LCOV --quiet $LCOV_RC --extract "$1/rule-all.info" \
    '*/runner/adapters/wasm2c/*' --output-file "$1/rule.info" >/dev/null &&
  cat "$1/rule.info"
}

v8_measure() {
  $PYTHON3 "$srcdir/runner/v8cov2lcov.py" --keep host.js --keep instrument.js \
    --test-name "$2" "$1/raw"
}

report() {
  dir=$1 title=$2
  $GENHTML --quiet --branch-coverage --legend --title "$title" \
    --output-directory "$dir/html" "$dir/coverage.info" || return 1
  echo "$runtime coverage report: $dir/html/index.html"
  $LCOV $LCOV_RC --list "$dir/coverage.info" &&
    $LCOV $LCOV_RC --summary "$dir/coverage.info"
}

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
  $CC -shared --coverage -o "$dir/canmem-wasm2c-adapter.so" $objs $DL_LIBS ||
    return 1
  run_suite "$dir" --adapter "$dir/canmem-wasm2c-adapter.so"
  $LCOV --quiet $LCOV_RC --capture --directory "$dir/obj" \
    --output-file "$dir/all.info" &&
  $LCOV --quiet $LCOV_RC --extract "$dir/all.info" \
    '*/runner/adapters/wasm2c/*' --output-file "$dir/coverage.info" &&
  report "$dir" 'canmem: the wasm2c adapter under the vectors' || return 1
  test "${COVERAGE_BY_RULE:-0}" = 0 ||
    by_rule "$dir" wasm2c_measure --adapter "$dir/canmem-wasm2c-adapter.so"
}

# Node writes one JSON file of V8's block coverage per process into
# NODE_V8_COVERAGE when the process exits; v8cov2lcov.py keeps host.js and
# instrument.js and turns them into lcov lines.
v8() {
  dir=$out/v8
  rm -rf "$dir" && mkdir -p "$dir/raw" || return 1
  adapter=runner/adapters/v8/.libs/canmem-v8-adapter.so
  test -f "$adapter" || die "$adapter is not built (make)"
  NODE_V8_COVERAGE=$(cd "$dir/raw" && pwd) run_suite "$dir" --adapter "$adapter"
  $PYTHON3 "$srcdir/runner/v8cov2lcov.py" --keep host.js --keep instrument.js \
    "$dir/raw" > "$dir/coverage.info" &&
  report "$dir" 'canmem: the v8 host under the vectors' || return 1
  test "${COVERAGE_BY_RULE:-0}" = 0 || by_rule "$dir" v8_measure --adapter "$adapter"
}

test $# -gt 0 || die "usage: coverage-runtime.sh SRCDIR OUTDIR wasm2c|v8..."
for tool in "$LCOV" "$GENHTML"; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "$tool not found: the reports need lcov (apt-get install lcov)"
done
for runtime in "$@"; do
  case $runtime in
    wasm2c) wasm2c || status=1 ;;
    v8) v8 || status=1 ;;
    *) die "unknown runtime '$runtime' (wasm2c, v8)" ;;
  esac
done
exit $status
