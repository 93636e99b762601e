# Shared setup of the runner's end-to-end tests; sourced by run-*.sh.
# Runs from the top build folder (as make check does); srcdir is the
# source tree. Every check that fails prints FAIL and the output it saw.

srcdir=${srcdir:-.}
RUN=${CANMEM_RUN:-./runner/canmem-run}
REF_SO=ref/canister/.libs/canmem-ref-adapter.so
TEST_SO=runner/tests/.libs/canmem-test-adapter.so
VECTORS=$srcdir/vectors
TESTV=$srcdir/runner/tests/vectors

work=$(mktemp -d "${TMPDIR:-/tmp}/canmem-runner.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
# reproduction commands printed by the runner use the same cache
CANMEM_CACHE_DIR=$work/cache
CANMEM_SUITE_DIR=$srcdir/suite
export CANMEM_CACHE_DIR CANMEM_SUITE_DIR

if test ! -x "$RUN"; then
  echo "$RUN is not built" >&2
  exit 99
fi

checks=0
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run [ARG...]: canmem-run with the test suite folder and cache
run() {
  "$RUN" --suite "$srcdir/suite" --cache "$work/cache" "$@"
}

# expect_status N COMMAND...: run it, keep its output in $work/out
expect_status() {
  want=$1
  shift
  checks=$((checks + 1))
  "$@" >"$work/out" 2>&1
  got=$?
  last_command="$*"
  if test "$got" -ne "$want"; then
    fail "exit status $got, expected $want: $*"
    sed 's/^/    | /' "$work/out" | tail -n 40
  fi
}

# expect_output TEXT: the last command printed TEXT (fixed string)
expect_output() {
  checks=$((checks + 1))
  if ! grep -F -e "$1" "$work/out" >/dev/null; then
    fail "no '$1' in the output of: $last_command"
    sed 's/^/    | /' "$work/out" | tail -n 40
  fi
}

# expect_output_re REGEX: the same with an extended regular expression
expect_output_re() {
  checks=$((checks + 1))
  if ! grep -E -e "$1" "$work/out" >/dev/null; then
    fail "no /$1/ in the output of: $last_command"
    sed 's/^/    | /' "$work/out" | tail -n 40
  fi
}

finish() {
  echo "$(basename "$0"): $((checks - failures)) of $checks checks passed"
  test "$failures" -eq 0
  exit $?
}
