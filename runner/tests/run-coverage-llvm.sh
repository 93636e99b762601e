#!/bin/sh
# canmem-run --coverage keeps the llvm profile counters of a runtime built
# with clang's source-based coverage (-fprofile-instr-generate
# -fcoverage-mapping; docs/coverage.md): the docs' minimal adapter built so
# runs the heap vectors, and llvm-profdata must count my_create once per
# vector that created a canister (each in its own forked child), whether
# LLVM_PROFILE_FILE names the file with %p or merges with %m. Forked
# without --coverage, the children leave through _exit() and the count is 0.
# Skips (77) without clang, a matching llvm-profdata, or clang's profile
# runtime.
. "${srcdir:-.}/runner/tests/common.sh"
clang=${CLANG:-clang}
skip() { echo "$(basename "$0"): $*; skipped"; exit 77; }
command -v "$clang" >/dev/null 2>&1 || skip "no clang ($clang)"
major=$("$clang" --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
profdata=${LLVM_PROFDATA:-}
for p in "llvm-profdata-$major" llvm-profdata; do
  test -n "$profdata" && break
  command -v "$p" >/dev/null 2>&1 && profdata=$p
done
test -n "$profdata" || skip "no llvm-profdata for clang $major"

sed -n '/<!-- minimal-adapter: begin -->/,/<!-- minimal-adapter: end -->/p' \
  "$srcdir/docs/check-your-runtime.md" | sed -e '/^<!--/d' -e '/^```/d' \
  >"$work/my_adapter.c"
grep -q my_create "$work/my_adapter.c" || { echo "no my_create in the docs' minimal adapter" >&2; exit 99; }
"$clang" -std=c11 -fPIC -shared -fprofile-instr-generate -fcoverage-mapping \
  -I"$srcdir/ref/abi" -o "$work/my-adapter.so" "$work/my_adapter.c" \
  2>"$work/cc.err" || skip "clang cannot build with coverage: $(head -n 1 "$work/cc.err")"

# create_count PATTERN [ARG...]: runs the heap vectors with
# LLVM_PROFILE_FILE=$work/prof/PATTERN; the vectors that created a canister
# (they fail: the minimal adapter traps) into $created, my_create's count
# in the merged profile into $count (none: no profile written).
create_count() {
  pattern=$1
  shift
  rm -rf "$work/prof" && mkdir "$work/prof" || exit 99
  LLVM_PROFILE_FILE=$work/prof/$pattern
  export LLVM_PROFILE_FILE
  expect_status 1 run --adapter "$work/my-adapter.so" "$@" --area heap "$VECTORS"
  unset LLVM_PROFILE_FILE
  created=$(sed -n 's/.*: [0-9]* passed, \([0-9]*\) failed.*/\1/p' "$work/out")
  count=none
  set -- "$work"/prof/*.profraw
  test -f "$1" || return
  "$profdata" merge -o "$work/merged.profdata" "$@" || return
  count=$("$profdata" show --function=my_create --counts "$work/merged.profdata" |
    sed -n 's/^ *Function count: *\([0-9]*\).*/\1/p')
}

for pattern in '%p.profraw' '%m.profraw'; do
  create_count "$pattern" --coverage
  echo "LLVM_PROFILE_FILE=$pattern, --coverage: my_create counted $count times," \
    "$created vectors created a canister"
  checks=$((checks + 1))
  if test -z "$created" || test "$created" -lt 2 || test "$count" != "$created"; then
    fail "$pattern: my_create counted $count times, $created vectors created a canister"
  fi
done
create_count '%p.profraw'
echo "LLVM_PROFILE_FILE=%p.profraw, without --coverage: my_create counted $count times"
checks=$((checks + 1))
case $count in
  none | 0) ;;
  *) fail "forked without --coverage the children's counts were kept: $count" ;;
esac
finish
