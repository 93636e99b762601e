#!/bin/sh
# canmem-driver --coverage (docs/coverage.md): the docs' minimal adapter
# built with gcc --coverage (and with clang's source-based coverage when
# clang and llvm's tools are there) runs the heap vectors; each runtime
# gets an lcov file whose my_create count is the number of vectors that
# created a canister, an HTML report, and the view by rule. Bad uses are
# errors that say what is missing. Skips (77) without python3, lcov or
# genhtml.
. "${srcdir:-.}/runner/tests/common.sh"
unset CANMEM_RUN
skip() { echo "$(basename "$0"): $*; skipped"; exit 77; }
test -n "${PYTHON3:-}" || skip "no python3"
for t in "${LCOV:-lcov}" "${GENHTML:-genhtml}"; do
  command -v "$t" >/dev/null 2>&1 || skip "no $t"
done
driver() {
  "$PYTHON3" "$srcdir/runner/driver.py" --canmem-run "$RUN" \
    --suite "$srcdir/suite" --cache "$work/cache" -j 2 --quiet "$@"
}

sed -n '/<!-- minimal-adapter: begin -->/,/<!-- minimal-adapter: end -->/p' \
  "$srcdir/docs/check-your-runtime.md" | sed -e '/^<!--/d' -e '/^```/d' \
  >"$work/my_adapter.c"
mkdir -p "$work/obj" "$work/none" || exit 99
# gcc, whatever CC is: gcov reads only the counters gcc writes (a clang
# build's .gcno has another version).
gcc -std=c11 -O0 -fPIC --coverage -I"$srcdir/ref/abi" \
  -c "$work/my_adapter.c" -o "$work/obj/my_adapter.o" &&
  gcc -shared --coverage -o "$work/my-gcov.so" "$work/obj/my_adapter.o" ||
  exit 99
runtimes="--runtime gcov-vm=$work/my-gcov.so --counters gcov-vm=gcov:$work/obj"
names=gcov-vm
clang=${CLANG:-clang}
if command -v "$clang" >/dev/null 2>&1 &&
   command -v "${LLVM_PROFDATA:-llvm-profdata}" >/dev/null 2>&1 &&
   command -v "${LLVM_COV:-llvm-cov}" >/dev/null 2>&1 &&
   "$clang" -std=c11 -fPIC -shared -fprofile-instr-generate -fcoverage-mapping \
     -I"$srcdir/ref/abi" -o "$work/my-llvm.so" "$work/my_adapter.c" 2>/dev/null; then
  runtimes="$runtimes --runtime llvm-vm=$work/my-llvm.so --counters llvm-vm=llvm"
  names="$names llvm-vm"
else
  echo "no clang with llvm-profdata and llvm-cov: the llvm kind is not checked"
fi

# shellcheck disable=SC2086 # runtimes is a word list without blanks
expect_status 1 driver --coverage "$work/cov" $runtimes \
  --coverage-by-rule 'HEAP-*' --area heap "$VECTORS"
for name in $names; do
  created=$(sed -n "s/^$name (.*: [0-9]* passed, \([0-9]*\) failed.*/\1/p" "$work/out")
  expect_output_re "^coverage of $name: [1-9][0-9]* of [0-9]+ lines"
  expect_output "coverage of $name by rule: "
  checks=$((checks + 1))
  info=$work/cov/$name/coverage.info
  grep -q "^FNDA:${created:-x},\(.*:\)\{0,1\}my_create$" "$info" 2>/dev/null ||
    fail "$name: my_create not counted once for each of the ${created:-?} vectors that created a canister: $(grep my_create "$info" 2>/dev/null | tr '\n' ' ')"
  checks=$((checks + 1))
  test -s "$work/cov/$name/html/index.html" &&
    test -s "$work/cov/$name/html-by-rule/index.html" ||
    fail "$name: no HTML report"
  checks=$((checks + 1))
  test "$(grep -c '^TN:HEAP_' "$work/cov/$name/by-rule.info")" -ge 2 ||
    fail "$name: by-rule.info has no records named after HEAP rules"
done

# bad uses
expect_status 2 driver --coverage "$work/cov2" --runtime "x=$work/my-gcov.so" --area heap "$VECTORS"
expect_output '--coverage: say how runtime x counts with --counters x=gcov:DIR|llvm|v8'
expect_status 2 driver --counters "y=v8" --area heap "$VECTORS"
expect_output "--counters wants NAME=KIND for a runtime named by --runtime, not 'y=v8'"
expect_status 1 driver --coverage "$work/cov2" --runtime "x=$work/my-gcov.so" \
  --counters x=gcov2 --area heap "$VECTORS"
expect_output "coverage of x: unknown kind of counters 'gcov2' (gcov:DIR, llvm[:OBJECT], v8)"
# a runtime not built for coverage: no counters, said so
expect_status 1 driver --coverage "$work/cov2" --runtime "ref-so=$REF_SO" \
  --counters "ref-so=gcov:$work/none" --area heap "$VECTORS"
expect_output 'coverage of ref-so: the run wrote no counters (is the runtime built for coverage?)'
finish
