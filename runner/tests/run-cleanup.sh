#!/bin/sh
# Runs leave nothing behind: the processes a runtime starts (an adapter's
# forked orphans, the v8 adapter's node host spinning in an endless loop)
# are killed with the vector's process group when the vector ends or times
# out (docs/runner.md, "Processes and deadlines").
. "${srcdir:-.}/runner/tests/common.sh"

# alive PID: the process exists and is not a zombie waiting to be reaped
alive() {
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  case $state in Z*) return 1 ;; esac
  return 0
}

# expect_gone PID...: none of them is alive (within 2 s: SIGKILL is
# asynchronous)
expect_gone() {
  for pid in "$@"; do
    checks=$((checks + 1))
    tries=0
    while alive "$pid" && test $tries -lt 20; do
      sleep 0.1
      tries=$((tries + 1))
    done
    if alive "$pid"; then
      fail "process $pid outlived its vector: $(ps -o args= -p "$pid")"
      kill -9 "$pid" 2>/dev/null
    fi
  done
}

# ---- an adapter that forks ----
CANMEM_TEST_PIDFILE=$work/pids
export CANMEM_TEST_PIDFILE
cat >"$work/spawn.wast" <<'V'
(vector "the runtime leaves an orphan behind, then answers" (rules SM-2))
(module $c (memory 1))
(install $c)
(update "spawn") (expect reject 3)
V
cat >"$work/spawn-hang.wast" <<'V'
(vector "the runtime leaves an orphan behind, then hangs" (rules SM-2))
(module $c (memory 1))
(install $c)
(update "spawn-hang")
V
# the orphan holds the runner's pipe open: the vector still ends when its
# process does, not at the timeout
begin=$(date +%s)
expect_status 0 run --timeout 20 --adapter "$TEST_SO" "$work/spawn.wast"
expect_output '1 passed, 0 failed'
checks=$((checks + 1))
if test $(($(date +%s) - begin)) -ge 10; then
  fail "the vector waited for its orphan (took $(($(date +%s) - begin)) s)"
fi
expect_status 1 run --timeout 1 --adapter "$TEST_SO" "$work/spawn-hang.wast"
expect_output 'timed out after 1 s in step 2 (update \"spawn-hang\")'
checks=$((checks + 1))
if test "$(wc -l <"$work/pids")" -ne 2; then
  fail "expected 2 spawned processes, the adapter recorded: $(cat "$work/pids")"
fi
expect_gone $(cat "$work/pids")

# ---- the runner killed outright (SIGKILL: no handler runs) ----
# The vector's process is in a group of its own; it must not outlive the
# runner and spin on without anyone to enforce its deadline.
cat >"$work/spin-ref.wast" <<'V'
(vector "an update that runs for minutes under ic-current" (rules SM-2))
(module $c (memory 1)
  (func (export "canister_update spin") (loop $l (br $l))))
(install $c)
(update "spin")
V
"$RUN" --suite "$srcdir/suite" --cache "$work/cache" --timeout 600 \
  "$work/spin-ref.wast" >"$work/killed.out" 2>&1 &
runner=$!
child=
tries=0
while test -z "$child" && test $tries -lt 50; do
  sleep 0.1
  child=$(ps -o pid= --ppid "$runner" | tr -d ' ')
  tries=$((tries + 1))
done
checks=$((checks + 1))
if test -z "$child"; then
  fail "the runner started no vector process within 5 s"
else
  sleep 0.5
  kill -9 "$runner"
  wait "$runner" 2>/dev/null
  expect_gone $child
fi

# ---- v8: an update that never ends (v8 counts no instructions) ----
V8_SO=runner/adapters/v8/.libs/canmem-v8-adapter.so
node=${CANMEM_V8_NODE:-$(command -v node)}
if test -f "$V8_SO" && test -n "$node" &&
   test -d "$srcdir/runner/adapters/v8/node_modules"; then
  # a host path of our own, so the host processes of this test are found
  # by name and no one else's
  host_dir=$(cd "$srcdir/runner/adapters/v8" && pwd)
  ln -s "$host_dir/host.js" "$work/cleanup-host-$$.js"
  CANMEM_V8_HOST=$work/cleanup-host-$$.js
  export CANMEM_V8_HOST
  cat >"$work/spin.wast" <<'V'
(vector "an update that loops forever" (rules SM-2))
(module $c (memory 1)
  (func (export "canister_update spin") (loop $l (br $l))))
(install $c)
(update "spin")
V
  # (step 1 only on a machine too loaded to start node in 5 s)
  expect_status 1 run --timeout 5 --adapter "$V8_SO" "$work/spin.wast"
  expect_output_re 'timed out after 5 s in step (2 \(update \\"spin\\"\)|1)'
  expect_gone $(ps -eo pid=,args= | grep -F "cleanup-host-$$.js" |
    grep -v grep | awk '{print $1}')
  checks=$((checks + 1))
  left=$(ps -eo stat=,args= | grep -F "cleanup-host-$$.js" | grep -v grep |
    grep -v '^Z')
  if test -n "$left"; then
    fail "v8 host processes outlived the run: $left"
  fi
else
  echo "# v8 part skipped: the v8 adapter or Node.js is not available"
fi

finish
