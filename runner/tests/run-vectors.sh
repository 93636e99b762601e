#!/bin/sh
# The vectors on the reference: the built-in adapter and the loadable
# module, two profiles, the alternative readings; the JSON and JUnit files;
# selection; every step and expectation kind in use.
. "${srcdir:-.}/runner/tests/common.sh"

total=$(run --list-paths "$VECTORS" | wc -l)
test "$total" -ge 20 || fail "only $total vectors under $VECTORS"

# ic-current skips only the access-limit vectors: its limits (GiB) are out
# of a vector's reach
access=$(grep -l -e '(requires[^)]*-access-limits' -r "$VECTORS" | wc -l)
for profile in small-limits ic-current; do
  expect_status 0 run --adapter ref --profile "$profile" \
    --json "$work/ref-$profile.json" --junit "$work/ref-$profile.xml" \
    "$VECTORS"
  skipped=0
  test "$profile" = ic-current && skipped=$access
  expect_output "profile $profile: $((total - skipped)) passed, 0 failed, $skipped skipped"
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
expect_output "canmem-ref 0.1, profile small-limits: $total passed, 0 failed"

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
assert doc["summary"]["passed"] == total, doc["summary"]
assert doc["runtime"]["name"] == "canmem-ref"
assert "wasm64" in doc["runtime"]["capabilities"]
assert doc["profile"]["name"] == "small-limits"
for v in doc["vectors"]:
    assert v["outcome"] == "pass" and v["failure"] is None, v
    assert v["rules"] and v["reproduce"].endswith(v["path"]), v
    assert v["steps_run"] == v["steps_total"] > 0, v
order = [r for v in doc["vectors"] if v["id"] == "stable/check-order"
         for r in v["readings"]]
assert order == [{"step": 2, "line": order[0]["line"], "reading": "formal"}]
suite = ET.parse(sys.argv[2]).getroot().find("testsuite")
assert suite.get("tests") == str(total) and suite.get("failures") == "0"
assert len(suite.findall("testcase")) == total
PY
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
checks=$((checks + 6))

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
