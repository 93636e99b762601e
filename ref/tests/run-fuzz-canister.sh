#!/bin/sh
# The canister fuzz harness (ref/fuzz/fuzz_canister.c) without libFuzzer:
# its seed inputs over the vectors' modules find no violation on the
# reference; the same inputs through a broken adapter
# (runner/tests/test_adapter.c, whose method "lie" returns
# CANMEM_ERR_INTERNAL) do, so the checks can fail.
srcdir=${srcdir:-.}
harness=ref/fuzz/fuzz_canister_replay
test -x "$harness" || { echo "$harness not built"; exit 99; }
test -n "${PYTHON3:-}" || PYTHON3=python3
work=$(mktemp -d "${TMPDIR:-/tmp}/canmem-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# a few areas' modules, as run-fuzz-canister.sh compiles them
./runner/canmem-run --suite "$srcdir/suite" --cache "$work/cache" \
  --save-modules "$work/saved" --profile small-limits \
  "$srcdir/vectors/stable64" "$srcdir/vectors/lifecycle" \
  "$srcdir/vectors/transactions" "$srcdir/vectors/low-memory" >/dev/null ||
  fail "canmem-run could not compile the modules"
mkdir -p "$work/modules" && mv "$work"/saved/*.wasm "$work/modules/"
"$PYTHON3" "$srcdir/ref/fuzz/canister-seeds.py" "$work/modules" "$work/seeds" ||
  fail "no seeds"
CANMEM_FUZZ_MODULES=$work/modules
CANMEM_FUZZ_PROFILES=$srcdir/suite/profiles/small-limits.profile:$srcdir/suite/profiles/ic-current.profile:$srcdir/suite/profiles/ic-2021.profile
export CANMEM_FUZZ_MODULES CANMEM_FUZZ_PROFILES

n=$(ls "$work/seeds" | wc -l)
test "$n" -gt 50 || fail "only $n seeds"
if "$harness" "$work"/seeds/* >"$work/out" 2>&1; then
  done=$(grep -c ': done$' "$work/out")
  test "$done" = "$n" || fail "$done of $n seeds replayed"
  echo "fuzz-canister: $n seeds, no violation"
else
  fail "a violation on the reference:"; tail -n 20 "$work/out"
fi

# A module with a method "lie": the broken adapter answers it with an
# internal error, which the harness must report.
cat >"$work/lie.wat" <<'WAT'
(module (memory 1)
  (func (export "canister_update lie")))
WAT
rm -f "$work"/modules/*
${WAT2WASM:-wat2wasm} "$work/lie.wat" -o "$work/modules/lie.wasm" || fail "wat2wasm"
"$PYTHON3" "$srcdir/ref/fuzz/canister-seeds.py" "$work/modules" "$work/lie-seeds"
CANMEM_FUZZ_ADAPTER=runner/tests/.libs/canmem-test-adapter.so "$harness" \
  "$work"/lie-seeds/* >"$work/out" 2>&1 && fail "the broken adapter went unnoticed"
grep -q "invariant violated: the adapter returned 3" "$work/out" ||
  { fail "no violation reported:"; tail -n 5 "$work/out"; }
CANMEM_FUZZ_TRACE=1 CANMEM_FUZZ_ADAPTER=runner/tests/.libs/canmem-test-adapter.so \
  "$harness" "$work"/lie-seeds/* >"$work/out" 2>&1
grep -q '^(install $m0' "$work/out" || fail "no trace in vector syntax"

test "$failures" = 0 || exit 1
echo "run-fuzz-canister: all checks passed"
