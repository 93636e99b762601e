#!/bin/sh
# --alloc-faults on the reference: every vector again and again, one
# allocation of the model failing each time (docs/coverage.md). It needs a
# build with fault injection (configure --enable-coverage or
# --enable-sanitizers, where ASan also sees every leak on those paths);
# other builds check the refusal and skip the run.
. "${srcdir:-.}/runner/tests/common.sh"

# only the built-in reference can be made to fail
expect_status 2 run --alloc-faults --adapter "$REF_SO" \
  "$VECTORS/stable/bounds.wast"
expect_output "--alloc-faults needs --adapter ref"

if run --alloc-faults "$VECTORS/stable/bounds.wast" >"$work/out" 2>&1; then
  # The corpus's compiled canisters allocate too often to fail each
  # allocation in turn (the 10 MiB Motoko canister would take hours); one
  # small one stands for them, when the build made it.
  run --list-paths "$VECTORS" | grep -v '/corpus/' >"$work/paths"
  corpus_c=$VECTORS/corpus/c-stable-log/wasm32.wast
  test -f vectors/corpus/c-stable-log/wasm32.wasm && echo "$corpus_c" >>"$work/paths"
  total=$(wc -l <"$work/paths")
  # in this process, so that a leak on a failure path fails the test
  # (one path a line: split at newlines only)
  saved_ifs=$IFS
  IFS='
'
  set -- $(cat "$work/paths")
  IFS=$saved_ifs
  expect_status 0 run --no-fork --alloc-faults --profile ic-current "$@"
  # ic-current skips the access-limit vectors (limits out of reach);
  # small-limits runs them, so their page counting fails allocations too.
  # It also skips the vectors whose (maximum ...) its limits exceed: they
  # spin to an instruction limit, which every repeated run would pay again.
  access=$(grep -l -e '(requires[^)]*-access-limits' -r "$VECTORS" | wc -l)
  small=$(grep -l -e '^ *(maximum (' -r "$VECTORS" | wc -l)
  expect_output "profile ic-current: $((total - access - small)) passed, 0 failed"
  expect_status 0 run --no-fork --alloc-faults --profile small-limits \
    "$VECTORS/access"
  expect_output "profile small-limits: $access passed, 0 failed"
  finish
fi
expect_output "configured with --enable-coverage"
echo "$(basename "$0"): this build has no fault injection; skipped"
test "$failures" -eq 0 || finish
exit 77
