#!/bin/sh
# Where canmem-run finds its suite without --suite or $CANMEM_SUITE_DIR
# (runner/datadir.c): the build tree's binary reads the source tree's
# suite/; a copy at ROOT$(bindir)/canmem-run, as `make install DESTDIR=ROOT`
# puts it, reads ROOT$(pkgdatadir)/suite. A profile that only the staged
# suite has tells which suite was read.
. "${srcdir:-.}/runner/tests/common.sh"
unset CANMEM_SUITE_DIR CANMEM_BUILD_DIR CANMEM_RUN
bindir=${CANMEM_BINDIR:?set by make check}
pkgdatadir=${CANMEM_PKGDATADIR:?set by make check}
vector=$VECTORS/heap/heap-persists.wast

root=$work/root
mkdir -p "$root$bindir" "$root$pkgdatadir/suite/profiles" || exit 99
cp "$RUN" "$root$bindir/canmem-run" || exit 99
cp "$srcdir/suite/rules.txt" "$srcdir/suite/capabilities.txt" \
  "$root$pkgdatadir/suite/" || exit 99
cp "$srcdir/suite/profiles/ic-current.profile" "$root$pkgdatadir/suite/profiles/" &&
  sed 's/^name = ic-current$/name = staged-only/' \
    "$srcdir/suite/profiles/ic-current.profile" \
    >"$root$pkgdatadir/suite/profiles/staged-only.profile" || exit 99

# The staged copy reads the staged suite.
expect_status 0 "$root$bindir/canmem-run" --cache "$work/cache" \
  --profile staged-only "$vector"
expect_output 'profile staged-only: 1 passed'
expect_status 0 "$root$bindir/canmem-run" --cache "$work/cache" "$vector"

# Named no vectors, it runs the staged vectors/, and says where it looked
# when there are none.
expect_status 2 "$root$bindir/canmem-run" --cache "$work/cache"
expect_output "no vectors given, and no vectors folder at $root$pkgdatadir/vectors"
mkdir -p "$root$pkgdatadir/vectors/heap" || exit 99
expect_status 2 "$root$bindir/canmem-run" --cache "$work/cache"
expect_output "no vectors given, and no *.wast under $root$pkgdatadir/vectors"
cp "$vector" "$root$pkgdatadir/vectors/heap/" || exit 99
expect_status 0 "$root$bindir/canmem-run" --cache "$work/cache" --profile staged-only
expect_output 'profile staged-only: 1 passed'
expect_output "ok 1 - heap/heap-persists"
# canmem-driver installed beside it: the same suite and vectors, no option
if test -n "${PYTHON3:-}" && test -f runner/canmem-driver; then
  cp runner/canmem-driver "$root$bindir/" || exit 99
  expect_status 0 "$PYTHON3" "$root$bindir/canmem-driver" --quiet \
    --cache "$work/cache" --profile staged-only
  expect_output 'profile staged-only: 1 passed, 0 failed'
  expect_output 'driver: 1 vectors x 1 runtimes x 1 profiles'
fi

# The build tree's binary reads the source tree's suite, which has no
# such profile; --suite still wins over both.
expect_status 2 "$RUN" --cache "$work/cache" --profile staged-only "$vector"
expect_output 'staged-only'
expect_status 0 "$RUN" --cache "$work/cache" "$vector"
expect_status 0 "$RUN" --cache "$work/cache" --suite "$root$pkgdatadir/suite" \
  --profile staged-only "$vector"

# A copy elsewhere reads $(pkgdatadir) itself, not the source tree.
mkdir -p "$work/elsewhere" && cp "$RUN" "$work/elsewhere/canmem-run" || exit 99
if test ! -e "$pkgdatadir/suite/rules.txt"; then
  expect_status 2 "$work/elsewhere/canmem-run" --cache "$work/cache" "$vector"
  expect_output "$pkgdatadir/suite/rules.txt"
fi
finish
