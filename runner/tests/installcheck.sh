#!/bin/sh
# The installed canmem used the way a runtime engineer would, from an empty
# folder, with nothing of the source or build tree: build the minimal
# adapter of the installed docs/check-your-runtime.md with
# `pkg-config --cflags canmem`, run the installed vectors on it with the
# installed canmem-run and its default suite and vectors, no option but
# --adapter (they fail: that adapter
# traps), run them on the installed reference adapter through
# canmem-driver (nothing unexpected), and write the HTML report with
# canmem-report.
#
# Usage: installcheck.sh DESTDIR BINDIR PKGDATADIR PKGLIBDIR LIBDIR DOCDIR
# (`make installcheck`, and so `make distcheck`, passes the configured
# directories; DESTDIR may be empty.) Exits 0 when everything worked.
set -u
[ $# = 6 ] || { echo "usage: $0 DESTDIR BINDIR PKGDATADIR PKGLIBDIR LIBDIR DOCDIR" >&2; exit 2; }
root=$1
bindir=$root$2
pkgdatadir=$root$3
pkglibdir=$root$4
libdir=$root$5
docdir=$root$6
cc=${CC:-cc}

fail() { echo "FAIL: $*"; exit 1; }
for f in "$bindir/canmem-run" "$bindir/canmem-driver" "$bindir/canmem-report" \
         "$pkgdatadir/suite/rules.txt" "$pkgdatadir/suite/capabilities.txt" \
         "$pkgdatadir/suite/profiles/ic-current.profile" \
         "$pkgdatadir/suite/expect/canmem-ref" "$pkgdatadir/vectors/heap" \
         "$pkglibdir/canmem-ref-adapter.so" "$libdir/pkgconfig/canmem.pc" \
         "$docdir/check-your-runtime.md"; do
  [ -e "$f" ] || fail "not installed: $f"
done

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
# Only the installation: no variable may point back at a tree.
unset CANMEM_SUITE_DIR CANMEM_BUILD_DIR CANMEM_RUN srcdir
export CANMEM_CACHE_DIR="$tmp/cache"
PATH=$bindir:$PATH
export PATH

# The adapter, built against the installed header through pkg-config
# (with DESTDIR, pkg-config puts the same root before its paths).
PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root \
  pkg-config --cflags canmem >cflags || fail "pkg-config --cflags canmem"
sed -n '/<!-- minimal-adapter: begin -->/,/<!-- minimal-adapter: end -->/p' \
  "$docdir/check-your-runtime.md" | sed -e '/^<!--/d' -e '/^```/d' >my_adapter.c
[ -s my_adapter.c ] || fail "no minimal adapter in the installed check-your-runtime.md"
# shellcheck disable=SC2046
$cc -std=c11 -Wall -Wextra -Werror -fPIC -shared $(cat cflags) \
  -o my-adapter.so my_adapter.c || fail "the minimal adapter does not build with $(cat cflags)"
echo "ok: minimal adapter built with $(cat cflags)"

# The installed runner on its installed suite and vectors: no --suite, no
# vectors named.
status=0
canmem-run --adapter ./my-adapter.so >tap 2>&1 || status=$?
if [ "$status" != 1 ] || ! grep -q '^not ok' tap || grep -q 'rule IDs come from' tap ||
   ! grep -q "^not ok .* - heap/heap-persists" tap; then
  tail -n 20 tap
  fail "canmem-run on the minimal adapter: expected failing vectors (exit 1), got exit $status"
fi
echo "ok: canmem-run, minimal adapter: $(tail -n 1 tap)"

# The installed Python example through the installed process adapter
# (docs/adapter-process.md): a toy, so vectors fail, but none errs.
if command -v python3 >/dev/null 2>&1; then
  [ -e "$pkglibdir/canmem-process-adapter.so" ] ||
    fail "not installed: $pkglibdir/canmem-process-adapter.so"
  status=0
  canmem-run --adapter "process:python3 $docdir/examples/process_adapter.py" \
    --area module >tap 2>&1 || status=$?
  if [ "$status" != 1 ] || ! grep -q '^# python-toy .* 0 errors' tap; then
    tail -n 20 tap
    fail "canmem-run on the installed Python example: exit $status"
  fi
  echo "ok: canmem-run, process adapter, Python example: $(tail -n 1 tap)"
fi

# Coverage of a runtime through the installed driver (its
# runtime_coverage.py installed beside reportlib.py): the minimal adapter
# built with gcc --coverage, the heap vectors, an lcov file and HTML.
# shellcheck disable=SC2046 # cflags is a word list
if command -v lcov >/dev/null 2>&1 && command -v genhtml >/dev/null 2>&1 &&
   mkdir obj && $cc -std=c11 -fPIC --coverage $(cat cflags) -c my_adapter.c -o obj/my_adapter.o &&
   $cc -shared --coverage -o my-gcov.so obj/my_adapter.o; then
  status=0
  canmem-driver --quiet --coverage cov --runtime my=./my-gcov.so \
    --counters my=gcov:obj --area heap >cov.out 2>&1 || status=$?
  if [ "$status" != 1 ] || [ ! -s cov/my/html/index.html ] ||
     ! grep -q '^coverage of my: [1-9]' cov.out; then
    tail -n 20 cov.out
    fail "canmem-driver --coverage on the minimal adapter: exit $status"
  fi
  echo "ok: canmem-driver --coverage, $(grep '^coverage of my:' cov.out | cut -d';' -f1)"
fi

# The reference adapter on every installed vector (the built corpus
# modules included) through the driver, with suite/expect/canmem-ref.
status=0
canmem-driver --quiet --jobs 2 \
  --runtime "canmem-ref=$pkglibdir/canmem-ref-adapter.so" \
  --out results.json >driver.out 2>&1 || status=$?
if [ "$status" != 0 ]; then
  tail -n 20 driver.out
  fail "canmem-driver on the installed reference adapter: exit $status"
fi
echo "ok: canmem-driver, reference adapter: $(grep "^canmem-ref" driver.out | head -n 1)"

canmem-report --quiet --results results.json --out report >report.out 2>&1 ||
  { cat report.out; fail "canmem-report"; }
[ -s report/index.html ] && ls report/run-canmem-ref--*.html >/dev/null 2>&1 ||
  fail "canmem-report wrote no index.html or run page"
echo "ok: canmem-report wrote $(ls report | wc -l) files"
