#!/bin/sh
# The python driver: vectors x two runtimes in parallel, the merged
# document, progress, and an exit status that reflects failures.
. "${srcdir:-.}/runner/tests/common.sh"
if test -z "${PYTHON3:-}"; then
  echo "run-driver: python3 not found: skipped"
  exit 77
fi
driver() {
  "$PYTHON3" "$srcdir/runner/driver.py" --canmem-run "$RUN" \
    --suite "$srcdir/suite" --cache "$work/cache" -j 2 "$@"
}

total=$(run --list-paths "$VECTORS" | wc -l)
# corpus vectors need more than small-limits gives (docs/corpus.md)
skipped=$(run --profile small-limits "$VECTORS" |
  sed -n 's/.*small-limits: [0-9]* passed, 0 failed, \([0-9]*\) skipped.*/\1/p')
test -n "$skipped" || fail "canmem-run under small-limits did not pass"
passed=$((total - ${skipped:-0}))
expect_status 0 driver --runtime canmem-ref=ref --runtime ref-so="$REF_SO" \
  --profile small-limits --out "$work/results.json" "$VECTORS"
expect_output "canmem-ref (canmem-ref 0.1), profile small-limits: $passed passed, 0 failed, $skipped skipped"
expect_output "ref-so (canmem-ref 0.1), profile small-limits: $passed passed, 0 failed, $skipped skipped"
expect_output "driver: $total vectors x 2 runtimes x 1 profiles"
expect_output "driver: $((total * 2))/$((total * 2)) vectors, 0 not passing"
checks=$((checks + 1))
"$PYTHON3" - "$work/results.json" "$total" "$passed" <<'PY' || fail "the merged document is wrong"
import json, sys
doc = json.load(open(sys.argv[1]))
total, passed = int(sys.argv[2]), int(sys.argv[3])
assert doc["schema"] == "canmem-results/1"
assert doc["vector_count"] == total
assert [r["runtime"] for r in doc["runs"]] == ["canmem-ref", "ref-so"]
for run in doc["runs"]:
    assert run["profile"] == "small-limits"
    assert run["summary"]["total"] == total
    assert run["summary"]["passed"] == passed
    assert run["summary"]["passed"] + run["summary"]["skipped"] == total
    ids = [v["id"] for v in run["vectors"]]
    assert ids == sorted(ids) and len(set(ids)) == total
    assert run["runtime_name"] == "canmem-ref"
    assert run["expectations"] is None or run["runtime"] == "canmem-ref"
assert doc["summary"]["total"] == 2 * total
assert doc["problems"] == []
PY

# a failure anywhere fails the driver, with its reproduction command
expect_status 1 driver --profile ic-current --profile small-limits \
  "$TESTV/failing.wast" "$TESTV/good.wast"
expect_output 'canmem-ref (canmem-ref 0.1), profile ic-current: 1 passed, 1 failed'
expect_output 'canmem-ref (canmem-ref 0.1), profile small-limits: 1 passed, 1 failed'
expect_output_re 'fail +failing'
expect_output_re '--profile small-limits .*-v .*failing.wast'
# a runtime that cannot be loaded is a problem, not a silent pass
expect_status 1 driver --runtime broken="$work/missing.so" "$TESTV/good.wast"
expect_output 'problem: broken, profile ic-current: canmem-run exited with status 2'

finish
