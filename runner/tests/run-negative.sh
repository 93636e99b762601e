#!/bin/sh
# Bad input and bad runtimes: malformed vectors are errors at the right
# line:column while the others still run; a wrong expectation fails with
# expected and actual and a command that reproduces it; a crashing,
# hanging or lying runtime fails only its vector; expectation files; usage
# errors.
. "${srcdir:-.}/runner/tests/common.sh"

# ---- malformed vectors ----
expect_status 1 run "$TESTV/bad" "$TESTV/good.wast"
expect_output_re '^ok [0-9]+ - good: a vector that passes'
for where in \
  'bad/bad-on.wast:5:1: expected (on $canister (STEP ...))' \
  'bad/no-steps.wast:1:1: the vector has no steps' \
  "bad/unbalanced.wast:3:1: unbalanced parenthesis" \
  "bad/unknown-capability.wast:2:35: unknown capability 'teleport'" \
  'bad/unknown-category.wast:5:14: expected a category' \
  "bad/unknown-rule.wast:2:15: unknown rule ID 'NOPE-1'" \
  "bad/unknown-step.wast:5:1: unknown form 'frobnicate'" \
  "bad/unknown-symbol.wast:5:29: expected a number or a profile limit" \
  'bad/unterminated-string.wast:1:9: unterminated string' \
  'bad/wat-error.wast:6:11: wat2wasm rejected module $c' \
  'bad/wat-error.wast:6:11: error: undefined function variable "$no_such_function"'
do
  expect_output "$where"
done
expect_output '1 passed, 0 failed, 0 skipped, 0 xfail, 0 xpass, 10 errors'
# (on $b ...) loading a snapshot the first canister took requires
# snapshot-load-other; the same steps on one canister do not
printf '(vector "two" (rules SNAP-9))\n(module $c (memory 1))\n(install $c)\n(take-snapshot $s)\n(on $b (install $c))\n(on $b (load-snapshot $s))\n' \
  >"$work/two.wast"
expect_status 0 run --list "$work/two.wast"
expect_output 'snapshot-load-other'
printf '(vector "one" (rules SNAP-9))\n(module $c (memory 1))\n(on $b (install $c))\n(on $b (take-snapshot $s))\n(on $b (load-snapshot $s))\n' \
  >"$work/one.wast"
expect_status 0 run --list "$work/one.wast"
expect_output 'requires: snapshots'
checks=$((checks + 1))
! grep -F snapshot-load-other "$work/out" >/dev/null ||
  fail "one canister's own load requires snapshot-load-other"

# ---- module files (docs/vector-format.md) ----
# not found: an error at the module, naming every path tried
mkdir -p "$work/src/vectors/files" "$work/build/vectors/files"
printf '(vector "a module file" (rules SM-2))\n\n  (module $m file "m.wasm")\n(install $m)\n' \
  >"$work/src/vectors/files/v.wast"
expect_status 1 run --build-dir "$work/build" "$work/src/vectors/files/v.wast"
expect_output 'v.wast:3:3: module $m: file \"m.wasm\" not found'
expect_output "$work/build/vectors/files/m.wasm, $work/src/vectors/files/m.wasm"
# the build could not make it: skipped with the build's reason
printf 'no frobnicator for m.wasm\n' >"$work/build/vectors/files/m.wasm.skip"
expect_status 0 run --build-dir "$work/build" "$work/src/vectors/files/v.wast"
expect_output '# SKIP module file m.wasm was not built: no frobnicator for m.wasm'
# installed: the marker sits beside the vector, with no build tree
mkdir -p "$work/inst/vectors/files" || exit 99
cp "$work/src/vectors/files/v.wast" "$work/build/vectors/files/m.wasm.skip" \
  "$work/inst/vectors/files/" || exit 99
expect_status 0 env -u CANMEM_BUILD_DIR "$RUN" --suite "$srcdir/suite" \
  --cache "$work/cache" "$work/inst/vectors/files/v.wast"
expect_output '# SKIP module file m.wasm was not built: no frobnicator for m.wasm'
# made: found in the build tree, and what its bytes imply is required
printf '\000asm\001\000\000\000\005\003\001\004\001' >"$work/build/vectors/files/m.wasm"
expect_status 0 run --build-dir "$work/build" --list "$work/src/vectors/files/v.wast"
expect_output 'requires: wasm64'
expect_status 0 run --build-dir "$work/build" "$work/src/vectors/files/v.wast"
expect_output '1 passed, 0 failed'
expect_status 2 run --build-dir
expect_output "option '--build-dir' needs a value"
# a text module implies what its compiled binary uses (a v128 parameter):
# the run requires simd, whether or not this runtime offers it
cat >"$work/src/vectors/files/simd.wast" <<'EOF'
(vector "a text module whose binary uses v128" (rules SM-2))
(module $m (memory 1)
  (func $id (param v128) (result v128) (local.get 0))
  (func (export "canister_query f") (call $reply_empty)))
(install $m)
(query "f")
EOF
expect_status 0 run --json "$work/simd.json" "$work/src/vectors/files/simd.wast"
if test -n "${PYTHON3:-}"; then
  checks=$((checks + 1))
  "$PYTHON3" -c 'import json, sys
assert json.load(open(sys.argv[1]))["vectors"][0]["requires"] == ["simd"]' \
    "$work/simd.json" || fail "a compiled text module did not imply simd"
fi

# ---- a wrong expectation ----
expect_status 1 run "$TESTV/failing.wast" "$TESTV/good.wast"
expect_output 'step 2 (query \"size\") at '
expect_output 'expected: "reply (i64 1)"'
expect_output 'actual:   "reply (i64 0)"'
expect_output '1 passed, 1 failed'
# the reproduction command runs the failing vector alone, and fails again
repro=$(sed -n 's/^  reproduce: "\(.*\)"$/\1/p' "$work/out" | head -n 1)
case $repro in
*failing.wast) ;;
*) fail "no reproduction command for the failing vector: '$repro'" ;;
esac
expect_status 1 sh -c "$repro"
expect_output '# Failures, each with a command that reproduces it alone:'
expect_output '0 passed, 1 failed'

# ---- a runtime that crashes, hangs, exits or lies fails one vector ----
expect_status 1 run --timeout 3 --adapter "$TEST_SO" "$TESTV/isolation" \
  "$TESTV/good.wast"
expect_output 'runtime canmem-test-adapter 0'
expect_output 'the runtime crashed (SIGABRT, signal 6) in step 2 (update \"crash\")'
# under AddressSanitizer a SIGSEGV becomes an exit with status 1
expect_output_re 'the runtime (crashed \(SIGSEGV, signal 11\)|exited with status 1) in step 2 \(update \\"segfault\\"\)'
expect_output 'the runtime exited with status 3 in step 2 (update \"exit\")'
expect_output 'timed out after 3 s in step 2 (update \"hang\")'
expect_output 'actual:   "adapter error CANMEM_ERR_INTERNAL"'
expect_output 'message:  "the test adapter refuses"'
expect_output '# SKIP the runtime lacks probes'
expect_output_re '^ok [0-9]+ - good: '
expect_output '1 passed, 5 failed, 1 skipped, 0 xfail, 0 xpass, 0 errors'
# --no-fork runs in the runner's own process
expect_status 0 run --no-fork "$TESTV/good.wast"
expect_output '1 passed, 0 failed'

# ---- expectation files ----
# an expected failure that passes fails the run
expect_status 1 run --expect "$srcdir/runner/tests/expect-xpass" \
  "$TESTV/good.wast"
expect_output '# TODO passed but expected to fail (update the expectation file): passes on purpose'
expect_output '0 passed, 0 failed, 0 skipped, 0 xfail, 1 xpass, 0 errors'
# xfail and skip marks keep a run green; unused patterns are noted
expect_status 0 run --expect "$srcdir/runner/tests/expect-marks" \
  --json "$work/marks.json" --junit "$work/marks.xml" \
  "$TESTV/failing.wast" "$TESTV/good.wast" "$TESTV/isolation/crash.wast"
expect_output '# TODO expected to fail: the expectation is wrong on purpose'
expect_output '# SKIP the reference does not crash'
expect_output "'nothing/*' matches none of the vectors run"
expect_output '1 passed, 0 failed, 1 skipped, 1 xfail, 0 xpass, 0 errors'
if test -n "${PYTHON3:-}"; then
  checks=$((checks + 1))
  "$PYTHON3" - "$work/marks.json" "$work/marks.xml" <<'PY' || fail "marks in JSON/JUnit"
import json, sys, xml.etree.ElementTree as ET
doc = json.load(open(sys.argv[1]))
by_id = {v["id"]: v for v in doc["vectors"]}
assert by_id["failing"]["outcome"] == "xfail"
assert by_id["failing"]["failure"]["expected"] == "reply (i64 1)"
assert by_id["failing"]["failure"]["actual"] == "reply (i64 0)"
assert by_id["isolation/crash"]["outcome"] == "skip"
assert by_id["good"]["outcome"] == "pass"
cases = ET.parse(sys.argv[2]).getroot().iter("testcase")
assert sum(1 for c in cases if c.find("skipped") is not None) == 2
PY
fi
# a malformed expectation file is a usage error with its position
printf 'good skip fine\nfailing maybe because\n' >"$work/bad-expect"
expect_status 2 run --expect "$work/bad-expect" "$TESTV/good.wast"
expect_output "bad-expect:2:9: expected 'skip' or 'xfail'"
printf 'good xfail\n' >"$work/no-reason"
expect_status 2 run --expect "$work/no-reason" "$TESTV/good.wast"
expect_output 'no-reason:1:11: expected a reason'

# ---- issue 16's reproducers ----
# JUnit XML is well-formed whatever a title or a profile name holds
# (invalid UTF-8, an overlong form, a surrogate, control characters)
printf '(vector "bad \\ff\\fe \\c0\\af \\ed\\a0\\80 ctl \\01\\1b\\7f end \\e2\\82\\ac" (rules SM-2))\n(module $c (memory 1))\n(install $c)\n' \
  >"$work/title.wast"
{ printf 'name = odd\001\033\377\300\257<&>"\n'
  grep -v '^name' "$srcdir/suite/profiles/ic-current.profile"; } \
  >"$work/odd.profile"
expect_status 0 run --profile "$work/odd.profile" --junit "$work/odd.xml" \
  "$work/title.wast"
if test -n "${PYTHON3:-}"; then
  checks=$((checks + 1))
  "$PYTHON3" -c 'import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
names = [c.get("name") for c in root.iter("testcase")]
assert any("end \u20ac" in n for n in names), names  # valid UTF-8 kept
suite = root.find("testsuite").get("name")
assert suite.startswith("canmem-ref/odd") and suite.endswith("<&>\""), suite' \
    "$work/odd.xml" || fail "the JUnit XML does not parse: $(head -c 600 "$work/odd.xml")"
fi
# an adapter that crashes in destroy() or create() is reported as such
CANMEM_TEST_CRASH_IN=destroy
export CANMEM_TEST_CRASH_IN
expect_status 1 run --adapter "$TEST_SO" "$TESTV/good.wast"
expect_output 'the runtime crashed (SIGABRT, signal 6) in destroy() after the last step'
CANMEM_TEST_CRASH_IN=create
expect_status 1 run --adapter "$TEST_SO" "$TESTV/good.wast"
expect_output 'the runtime crashed (SIGABRT, signal 6) in create()'
unset CANMEM_TEST_CRASH_IN
# an i32 out of range is reported as written, where it is written
printf '(vector "i32 range" (rules SM-2))\n(module $c (memory 1))\n(install $c)\n(update "f" (arg (i32 -2147483649)))\n' \
  >"$work/i32.wast"
expect_status 1 run "$work/i32.wast"
expect_output 'i32.wast:4:23: -2147483649 is out of the i32 range (-2147483648 to 4294967295)'
printf '(vector "i32 range" (rules SM-2))\n(module $c (memory 1))\n(install $c)\n(update "f" (arg (i32 (+ max_heap_wasm32 1))))\n' \
  >"$work/i32-expr.wast"
expect_status 1 run "$work/i32-expr.wast"
expect_output "i32-expr.wast:4:23: the expression's value 4294967297 (4294967297 as signed) is out of the i32 range"
# profile files: empty, a key twice, a 32-bit stable maximum above the
# stable maximum
: >"$work/empty.profile"
expect_status 2 run --profile "$work/empty.profile" "$TESTV/good.wast"
expect_output "$work/empty.profile: the profile is empty"
printf 'name = twice\nmax_globals = 1\n\nmax_globals = 2\n' >"$work/twice.profile"
expect_status 2 run --profile "$work/twice.profile" "$TESTV/good.wast"
expect_output "$work/twice.profile:4: 'max_globals' is set again (first at line 2)"
printf 'name = s32\nmax_stable_memory = 1 GiB\nmax_stable_memory_32 = 4 GiB\n' \
  >"$work/s32.profile"
expect_status 2 run --profile "$work/s32.profile" "$TESTV/good.wast"
expect_output "$work/s32.profile: max_stable_memory_32 (4294967296 bytes) is above max_stable_memory (1073741824 bytes)"

# ---- usage errors ----
expect_status 2 run --profile no-such-profile "$TESTV/good.wast"
expect_output "unknown profile 'no-such-profile'"
expect_status 2 run --adapter "$work/missing.so" "$TESTV/good.wast"
expect_output 'cannot load adapter'
expect_status 2 run --frobnicate "$TESTV/good.wast"
expect_output "unknown option '--frobnicate'"
expect_status 2 run --timeout
expect_output "option '--timeout' needs a value"
# no vectors named: the whole suite where this binary finds it, the source
# tree's for the build tree's binary (run-datadir.sh: installed copies)
expect_status 0 run --list-paths
sed 's|.*/vectors/|vectors/|' "$work/out" >"$work/default-list"
run --list-paths "$VECTORS" | sed 's|.*/vectors/|vectors/|' >"$work/named-list"
checks=$((checks + 1))
if ! test -s "$work/named-list" || ! cmp -s "$work/default-list" "$work/named-list"; then
  fail "canmem-run without vectors did not select the source tree's vectors/"
fi
expect_status 2 run "$work/no-such-vector.wast"
expect_output 'no-such-vector.wast: No such file or directory'

# ---- calls steps: a list that differs, a call that is not there ----
expect_status 1 run "$TESTV/calls-mismatch.wast" "$TESTV/calls-no-such-call.wast"
expect_output 'expected: "calls 1: callee \"\\00\\00\\00\\00\\00\\00\\00\\02\\01\\01\" method \"pong\" arg \"\""'
expect_output 'actual:   "calls 1: callee \"\\00\\00\\00\\00\\00\\00\\00\\02\\01\\01\" method \"ping\" arg \"\""'
expect_output 'message:  "respond 1: 0 call(s) are outstanding"'
expect_output '0 passed, 2 failed, 0 skipped'

# ---- ABI versions: a version-1 adapter loads; calls vectors skip ----
CANMEM_TEST_ABI=1
export CANMEM_TEST_ABI
expect_status 0 run --adapter "$TEST_SO" \
  "$VECTORS/calls/reply-runs-reply-callback.wast" "$TESTV/good.wast"
expect_output '# SKIP the runtime lacks calls'
expect_output '1 passed, 0 failed, 1 skipped'
unset CANMEM_TEST_ABI
# version 2 without the calls operations: the same
expect_status 0 run --adapter "$TEST_SO" \
  "$VECTORS/calls/reply-runs-reply-callback.wast"
expect_output '# SKIP the runtime lacks calls'

finish
