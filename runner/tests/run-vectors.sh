#!/bin/sh
# The vectors on the reference: the built-in adapter and the loadable
# module, two profiles, the alternative readings; the JSON and JUnit files;
# selection; every step and expectation kind in use.
. "${srcdir:-.}/runner/tests/common.sh"

total=$(run --list-paths "$VECTORS" | wc -l)
test "$total" -ge 20 || fail "only $total vectors under $VECTORS"
# The corpus of compiled canisters (docs/corpus.md) is picked up with the
# rest. Its vectors may skip: a module whose toolchain is missing, a
# profile too small for a real canister, a 64-bit table the reference
# cannot run yet. Every other vector passes.
corpus=$(run --list-paths --area corpus "$VECTORS" | wc -l)
test "$corpus" -ge 4 || fail "only $corpus corpus vectors under $VECTORS"
checks=$((checks + 2))

# ic-current skips only the access-limit vectors: its limits (GiB) are out
# of a vector's reach
access=$(grep -l -e '(requires[^)]*-access-limits' -r "$VECTORS" | wc -l)
for profile in small-limits ic-current; do
  expect_status 0 run --adapter ref --profile "$profile" \
    --json "$work/ref-$profile.json" --junit "$work/ref-$profile.xml" \
    "$VECTORS"
  expect_output_re "profile $profile: [0-9]+ passed, 0 failed, [0-9]+ skipped, 0 xfail, 0 xpass, 0 errors \($total vectors"
  # what skips: corpus vectors (above), and under ic-current the
  # access-limit vectors
  passed=$(sed -nE "s/.*profile $profile: ([0-9]+) passed.*/\1/p" "$work/out")
  floor=$((total - corpus))
  test "$profile" = ic-current && floor=$((floor - access))
  checks=$((checks + 1))
  test "${passed:-0}" -ge "$floor" ||
    fail "profile $profile: ${passed:-0} passed, expected at least $floor"
done
# every other profile of the suite: what applies passes (older spec
# versions skip what they lack; alternative-readings checks that every
# `one-of` names the reading the reference then follows)
for file in "$srcdir"/suite/profiles/*.profile; do
  profile=$(basename "$file" .profile)
  case $profile in small-limits|ic-current) continue ;; esac
  expect_status 0 run --adapter ref --profile "$profile" "$VECTORS"
  expect_output_re "profile $profile: [0-9]+ passed, 0 failed"
done
# the same through dlopen(), as any other runtime is loaded
expect_status 0 run --adapter "$REF_SO" --profile small-limits "$VECTORS"
expect_output_re "canmem-ref 0.1, profile small-limits: [0-9]+ passed, 0 failed, [0-9]+ skipped, 0 xfail, 0 xpass, 0 errors \\($total vectors"

# one-of expectations name the reading the runtime follows
expect_status 0 run --profile ic-current \
  "$VECTORS/stable/check-order.wast" \
  "$VECTORS/settings/limit-after-timer-growth.wast"
expect_output "follows the reading 'formal'"
expect_output "follows the reading 'resulting-heap'"
expect_status 0 run \
  --profile "$srcdir/suite/profiles/alternative-readings.profile" \
  "$VECTORS/stable/check-order.wast" \
  "$VECTORS/settings/limit-after-timer-growth.wast"
expect_output "follows the reading 'stable-first'"
expect_output "follows the reading 'in-timers'"

# the machine-readable files are well-formed and agree with the TAP
if test -n "${PYTHON3:-}"; then
  checks=$((checks + 1))
  "$PYTHON3" - "$work/ref-small-limits.json" "$work/ref-small-limits.xml" \
    "$total" <<'PY' || fail "the JSON or JUnit output is wrong"
import json, sys, xml.etree.ElementTree as ET
doc = json.load(open(sys.argv[1]))
total = int(sys.argv[3])
assert doc["schema"] == "canmem-run/1", doc["schema"]
assert doc["summary"]["total"] == total == len(doc["vectors"])
skipped = [v for v in doc["vectors"] if v["outcome"] == "skip"]
assert doc["summary"]["passed"] + len(skipped) == total, doc["summary"]
assert all(v["area"] == "corpus" for v in skipped), skipped
assert doc["runtime"]["name"] == "canmem-ref"
assert "wasm64" in doc["runtime"]["capabilities"]
assert doc["profile"]["name"] == "small-limits"
for v in doc["vectors"]:
    assert v["rules"] and v["reproduce"].endswith(v["path"]), v
    if v["outcome"] == "skip":
        continue
    assert v["outcome"] == "pass" and v["failure"] is None, v
    assert v["steps_run"] == v["steps_total"] > 0, v
order = [r for v in doc["vectors"] if v["id"] == "stable/check-order"
         for r in v["readings"]]
assert order == [{"step": 2, "line": order[0]["line"], "reading": "formal"}]
suite = ET.parse(sys.argv[2]).getroot().find("testsuite")
assert suite.get("tests") == str(total) and suite.get("failures") == "0"
assert len(suite.findall("testcase")) == total
PY
  # under ic-current only what the build could not make skips (a module
  # that was made is never reported as not built), the access-limit
  # vectors, whose limits are out of a vector's reach there, and the
  # vectors whose (maximum ...) the profile's limits exceed
  checks=$((checks + 1))
  "$PYTHON3" - "$work/ref-ic-current.json" <<'PY' || fail "unexpected skips under ic-current"
import json, sys
for v in json.load(open(sys.argv[1]))["vectors"]:
    if v["outcome"] != "skip":
        continue
    if v["area"] == "access":
        assert "limits are unset or too large" in v["reason"], v
        continue
    if "above the vector's maximum" in v["reason"]:
        continue  # (maximum ...): runs only where a limit is small
    assert v["area"] == "corpus", v
    assert "was not built" in v["reason"], v
PY
fi
# a module the build made is found (not built: NAME.wasm.skip, docs/corpus.md)
checks=$((checks + 1))
if test -f vectors/corpus/c-stable-log/wasm32.wasm; then
  expect_status 0 run --profile ic-current \
    "$VECTORS/corpus/c-stable-log/wasm32.wast"
  expect_output "ic-current: 1 passed, 0 failed, 0 skipped"
elif test -f vectors/corpus/c-stable-log/wasm32.wasm.skip; then
  expect_status 0 run --profile ic-current \
    "$VECTORS/corpus/c-stable-log/wasm32.wast"
  expect_output "SKIP module file wasm32.wasm was not built"
else
  fail "make made neither vectors/corpus/c-stable-log/wasm32.wasm nor its .skip"
fi

# the starter vectors use every step kind and every expectation kind
for form in '(install ' '(reinstall ' '(upgrade ' '(skip_pre_upgrade ' \
  '(wasm_memory_persistence ' '(uninstall)' '(update ' '(query ' \
  '(replicated-query ' '(inspect-message ' '(system-task ' '(settings ' \
  '(probe ' '(gzip)' '(expect reply' '(expect reject' '(expect trap' \
  '(expect no-reply)' '(expect install-rejected' '(expect one-of' \
  '(pages max_stable_memory' 'binary "'; do
  checks=$((checks + 1))
  grep -rF -e "$form" "$VECTORS" >/dev/null ||
    fail "no vector uses $form"
done

# selection by path, rule, area and tag
count() { run --list-paths "$@" | wc -l; }
test "$(count --rule EDGE-ORDER "$VECTORS")" -ge 1 || fail "--rule"
test "$(count --rule 'SM32-*' --area stable32 "$VECTORS")" -ge 3 ||
  fail "--rule with a glob and --area"
test "$(count --area heap --rule EDGE-ORDER "$VECTORS")" -eq 0 ||
  fail "--area and --rule combine with AND"
test "$(count --tag ambiguous "$VECTORS")" -ge 2 || fail "--tag"
test "$(count --filter 'stable/check-*' "$VECTORS")" -eq 1 || fail "--filter"
test "$(count "$VECTORS/stable/bounds.wast")" -eq 1 || fail "a single path"
# folders are searched, but not npm's node_modules (docs/corpus.md)
mkdir -p "$work/scan/node_modules"
cp "$TESTV/good.wast" "$work/scan/"
cp "$TESTV/good.wast" "$work/scan/node_modules/"
test "$(count "$work/scan")" -eq 1 || fail "node_modules was searched for vectors"
checks=$((checks + 7))

# suite/capabilities.txt lists exactly the runner's names
checks=$((checks + 1))
"$RUN" --list-requirements >"$work/names"
sed -e '/^#/d' -e '/^$/d' -e 's/ .*//' "$srcdir/suite/capabilities.txt" \
  >"$work/listed"
cmp -s "$work/names" "$work/listed" ||
  fail "suite/capabilities.txt and canmem-run --list-requirements differ"

# the module actually run stays inspectable
expect_status 0 run --print-modules "$VECTORS/module/wasm64-system-api.wast"
expect_output ';; wat2wasm --enable-memory64'
expect_output '(import "ic0" "stable64_grow" (func $ic0.stable64_grow (param i64) (result i64)))'
expect_output '(func $append_i64 (param $value i64)'
expect_status 0 run --save-modules "$work/saved" \
  "$VECTORS/lifecycle/upgrade-keeps-stable.wast"
for f in lifecycle_upgrade-keeps-stable.v1.wat \
  lifecycle_upgrade-keeps-stable.v2.wasm; do
  checks=$((checks + 1))
  test -s "$work/saved/$f" || fail "--save-modules did not write $f"
done

finish
