#!/bin/sh
# The minimal adapter of docs/check-your-runtime.md compiles without
# warnings, loads, and canmem-run runs a vector with it (which fails: the
# adapter traps on every message) without a crash or a usage error.
set -u
srcdir=${srcdir:-.}
cc=${CC:-cc}
run=${CANMEM_RUN:-runner/canmem-run}
doc=$srcdir/docs/check-your-runtime.md
[ -x "$run" ] || { echo "$run is not built: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
sed -n '/<!-- minimal-adapter: begin -->/,/<!-- minimal-adapter: end -->/p' "$doc" |
  sed -e '/^<!--/d' -e '/^```/d' >"$tmp/my_adapter.c"
[ -s "$tmp/my_adapter.c" ] || { echo "FAIL: no adapter between the markers in $doc"; exit 1; }
if ! $cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fPIC -shared -I "$srcdir/ref/abi" \
     -o "$tmp/my-adapter.so" "$tmp/my_adapter.c"; then
  echo "FAIL: the adapter of $doc does not compile cleanly"; exit 1
fi
echo "ok: the adapter compiles with -Wall -Wextra -Wpedantic -Werror"
vector=$srcdir/vectors/heap
status=0
"$run" --adapter "$tmp/my-adapter.so" --suite "$srcdir/suite" --cache "$tmp/cache" \
  --json "$tmp/out.json" "$vector" >"$tmp/tap" 2>&1 || status=$?
if [ "$status" != 1 ] || ! grep -q '^not ok' "$tmp/tap" || ! grep -q '"my-runtime"' "$tmp/out.json"; then
  tail -n 20 "$tmp/tap"
  echo "FAIL: expected failing vectors (exit 1) from the minimal adapter, got exit $status"; exit 1
fi
echo "ok: canmem-run loads it: $(tail -n 1 "$tmp/tap")"
