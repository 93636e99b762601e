#!/bin/sh
# Module compilation: its time is not the runtime's (the --timeout clock
# starts after it), and many modules compile in one wast2json per feature
# set into the cache, with the same binaries, errors still reported where
# they are (docs/runner.md).
. "${srcdir:-.}/runner/tests/common.sh"

# a wat2wasm that takes 2 s: with --timeout 1 the vector still passes
wat2wasm=${WAT2WASM:-wat2wasm}
cat >"$work/slow-wat2wasm" <<EOF2
#!/bin/sh
sleep 2
exec "$wat2wasm" "\$@"
EOF2
chmod +x "$work/slow-wat2wasm"
expect_status 0 run --cache "$work/slow-cache" --wat2wasm "$work/slow-wat2wasm" \
  --timeout 1 "$TESTV/good.wast"
expect_output '1 passed, 0 failed'

# many modules: compiled in a batch, each the binary wat2wasm makes
many() { # many N [BAD]: a vector of N modules, module BAD broken
  echo '(vector "many modules" (rules SM-2))'
  i=0
  while test $i -lt "$1"; do
    if test "$i" = "${2:-}"; then
      echo "(module \$m$i (func (call \$no_such_function)))"
    else
      echo "(module \$m$i (memory 1) (func (export \"canister_query f\") (call \$reply_i64 (i64.const $i))))"
    fi
    i=$((i + 1))
  done
  echo '(install $m0)'
  echo "(reinstall \$m$(($1 - 1)))"
  echo "(query \"f\") (expect reply (i64 $(($1 - 1))))"
}
many 40 >"$work/many.wast"
expect_status 0 run --cache "$work/cache" "$work/many.wast"
expect_output '1 passed, 0 failed'
checks=$((checks + 1))
if test "$(ls "$work/cache" | grep -c '\.wasm$')" -ne 40; then
  fail "expected 40 binaries in the cache: $(ls "$work/cache")"
fi
checks=$((checks + 1))
if ls -d "$work/cache"/batch.* >/dev/null 2>&1; then
  fail "a batch folder was left in the cache"
fi
# the same binaries as one wat2wasm each (run under another name, so no
# batch)
ln -s "$(command -v "$wat2wasm")" "$work/my-wat2wasm"
expect_status 0 run --cache "$work/cache1" --wat2wasm "$work/my-wat2wasm" \
  "$work/many.wast"
checks=$((checks + 1))
for f in "$work"/cache/*.wasm; do
  cmp "$f" "$work/cache1/$(basename "$f")" >/dev/null 2>&1 ||
    { fail "batch binary $(basename "$f") differs from wat2wasm's"; break; }
done
# a broken module among many: the batch fails, the error is where it is
many 40 17 >"$work/bad.wast"
expect_status 1 run --cache "$work/cache2" "$work/bad.wast"
expect_output 'bad.wast:19:26: wat2wasm rejected module $m17'

finish
