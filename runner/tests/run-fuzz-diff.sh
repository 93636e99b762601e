#!/bin/sh
# fuzz-diff (runner/fuzz): a seeded batch of generated vectors passes on
# the built-in and the loadable reference; the same seed gives the same
# vectors; a disagreement planted in the model (CANMEM_FUZZ_PLANT) is found,
# minimised to a few steps and filed under findings/model.
. "${srcdir:-.}/runner/tests/common.sh"
if test -z "${PYTHON3:-}"; then
  echo "run-fuzz-diff: python3 not found: skipped"
  exit 77
fi
fz() {
  "$PYTHON3" "$srcdir/runner/fuzz/fuzz_diff.py" --canmem-run "$RUN" \
    --suite "$srcdir/suite" "$@"
}

expect_status 0 fz --seed 7 --count 60 --out "$work/a" \
  --runtime canmem-ref=ref --runtime ref-so="$REF_SO"
expect_output "fuzz-diff: canmem-ref: 60 pass"
expect_output "fuzz-diff: ref-so: 60 pass"
expect_output "0 findings"

checks=$((checks + 1))
fz --seed 7 --count 60 --out "$work/b" --runtime canmem-ref=ref >/dev/null 2>&1
diff -r "$work/a/batch" "$work/b/batch" >/dev/null ||
  fail "the same seed gave other vectors"

CANMEM_FUZZ_PLANT=check-order expect_status 1 fz --seed 7 --count 60 \
  --out "$work/c" --runtime canmem-ref=ref
expect_output "finding (model)"
checks=$((checks + 1))
found=$(ls "$work"/c/findings/model/*.wast 2>/dev/null | head -n 1)
if test -z "$found"; then
  fail "nothing filed under findings/model"
else
  steps=$(grep -c '^(\(install\|update\|query\|upgrade\|reinstall\|settings\|probe\|uninstall\|system-task\|replicated-query\)' "$found")
  test "$steps" -le 4 || fail "$found was not minimised ($steps steps)"
  # the filed vector reproduces the disagreement on its own
  profile=$(sed -n 's/.*run it with --profile \([a-z0-9-]*\).*/\1/p' "$found")
  expect_status 1 run --profile "$profile" "$found"
fi

finish
