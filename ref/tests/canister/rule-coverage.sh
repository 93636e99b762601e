#!/bin/sh
# Every rule ID of sections 2-14 of the rule catalogue
# (../shared/reference/ic-memory-rules.md) must name at least one cmocka
# test of the canister model: test_<ID with - as _>_... in
# ref/tests/test_canister*.c. Skips (77) when the catalogue is not there.
srcdir=${srcdir:-.}
rules=${CANMEM_RULES:-$srcdir/../shared/reference/ic-memory-rules.md}
# distcheck builds elsewhere; the spec suite's location still leads there
if test ! -r "$rules" && test -n "${CANMEM_SPEC_DIR:-}"; then
  rules=$CANMEM_SPEC_DIR/../reference/ic-memory-rules.md
fi
if test ! -r "$rules"; then
  echo "rule-coverage: $rules not found: skipped"
  exit 77
fi
if test ! -r "$srcdir/ref/tests/test_canister_api.c"; then
  echo "rule-coverage: the tests are not in $srcdir/ref/tests" >&2
  exit 99
fi
ids=$(awk '/^## 2\./,/^## 15\./' "$rules" |
  sed -n 's/^\(Caveat \)\{0,1\}\([A-Z][A-Z0-9]*\(-[A-Z0-9]\{1,\}\)\{1,\}\).*/\2/p' |
  sort -u)
missing=0
total=0
for id in $ids; do
  total=$((total + 1))
  name=$(echo "$id" | tr '-' '_')
  if ! grep -q "test_${name}_" "$srcdir"/ref/tests/test_canister*.c; then
    echo "rule-coverage: no test named after $id (test_${name}_...)"
    missing=$((missing + 1))
  fi
done
echo "rule-coverage: $((total - missing)) of $total rule IDs have a test"
test "$missing" -eq 0
