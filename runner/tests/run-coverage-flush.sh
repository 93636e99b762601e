#!/bin/sh
# canmem-run --coverage keeps a forked child's coverage counters
# (docs/coverage.md): in a build configured with --enable-coverage, the
# reference's System API (ref/canister/sysapi.c, which only the child runs)
# must count the same lines forked with --coverage as in the runner's own
# process (--no-fork), and none forked without it. Other builds skip.
. "${srcdir:-.}/runner/tests/common.sh"

gcno=$(find ref/canister -name '*sysapi.gcno' 2>/dev/null | head -n 1)
if test -z "$gcno" || ! command -v gcov >/dev/null 2>&1; then
  echo "$(basename "$0"): not a coverage build (or no gcov); skipped"
  exit 77
fi
gcno=$(cd "$(dirname "$gcno")" && pwd)/$(basename "$gcno")

# The percentage of sysapi.c's lines that one run of the runner reached,
# into $lines ("none": no counters written). GCOV_PREFIX sends the run's
# .gcda files under $work, apart from the build's.
sysapi_lines() {
  lines=none
  rm -rf "$work/gcda"
  GCOV_PREFIX=$work/gcda
  export GCOV_PREFIX
  expect_status 0 run "$@" "$VECTORS/system/global-timer.wast"
  unset GCOV_PREFIX
  gcda=$work/gcda${gcno%.gcno}.gcda
  test -f "$gcda" || return
  cp "$gcno" "${gcda%.gcda}.gcno"
  lines=$(cd "$work" && gcov -n "$gcda" 2>/dev/null |
    sed -n "/^File '.*sysapi\.c'/{n;s/^Lines executed:\([0-9.]*\)%.*/\1/p;q;}")
}

sysapi_lines --no-fork
in_process=$lines
sysapi_lines --coverage
forked=$lines
sysapi_lines
lost=$lines
echo "sysapi.c lines reached: --no-fork $in_process%, forked with" \
  "--coverage $forked%, forked without: $lost"
checks=$((checks + 1))
case $in_process in
  '' | none | 0.00) fail "--no-fork reached no line of sysapi.c ($in_process)" ;;
esac
checks=$((checks + 1))
test "$forked" = "$in_process" ||
  fail "forked with --coverage: $forked% of sysapi.c, in process: $in_process%"
checks=$((checks + 1))
case $lost in
  none | 0.00) ;;
  *) fail "forked without --coverage the child's counters were kept: $lost%" ;;
esac
finish
