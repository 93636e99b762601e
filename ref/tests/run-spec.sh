#!/bin/sh
# Runs the official WebAssembly core test suite on the canmem engine.
#
# What runs: every .wast at the top of the suite (the simd_*.wast files
# included), proposals/memory64/*.wast (converted with --enable-memory64)
# and proposals/tail-call/*.wast (--enable-tail-call). proposals/multi-memory
# is not run: the canister model gives a module at most one memory, so the
# engine rejects a second one by design. Per-command exceptions are in
# ref/tests/spec-skips.txt, each with its reason; text modules
# (assert_malformed/assert_invalid of .wat) are counted as skipped by
# canmem-wast itself, since the engine reads binaries.
#
# wast2json (wabt 1.0.32) turns each .wast into JSON plus .wasm files. The
# output is cached under the build directory, keyed by a hash of the .wast
# content, the wast2json flags and version, so re-runs skip the conversion.
# Top-level and proposal files go to separate directories: their names clash.
# Before the suite, a small self-check script makes sure canmem-wast reports
# the failures it must report.
#
# Usage: run-spec.sh [NAME...]   NAME like i32, memory64/address or
#                                 tail-call/return_call (default:
#                                 all). Works as an automake TESTS script:
#                                 exit 0 pass, 1 fail, 77 skip, 99 error.
# Environment:
#   CANMEM_SPEC_DIR   the suite (default $srcdir/../shared/spec-testsuite)
#   CANMEM_WAST       the runner (default ./ref/tools/canmem-wast)
#   CANMEM_SPEC_CACHE where converted JSON goes (default ./spec-json)
#   CANMEM_WAST_FLAGS extra canmem-wast options, e.g. -v or --run-skipped
#   WAST2JSON         the converter (default wast2json)
set -u

srcdir=${srcdir:-.}
spec_dir=${CANMEM_SPEC_DIR:-$srcdir/../shared/spec-testsuite}
runner=${CANMEM_WAST:-./ref/tools/canmem-wast}
cache=${CANMEM_SPEC_CACHE:-./spec-json}
wast2json=${WAST2JSON:-wast2json}
skip_file=$srcdir/ref/tests/spec-skips.txt

if ! command -v "$wast2json" >/dev/null 2>&1; then
  echo "run-spec.sh: SKIP: $wast2json not found; install wabt 1.0.32" \
       "(Debian 12: apt-get install wabt) to run the spec suite"
  exit 77
fi
if [ ! -d "$spec_dir" ]; then
  echo "run-spec.sh: SKIP: no spec test suite at $spec_dir" \
       "(set CANMEM_SPEC_DIR to the directory of the .wast files)"
  exit 77
fi
if [ ! -x "$runner" ]; then
  echo "run-spec.sh: ERROR: $runner is not built (set CANMEM_WAST)"
  exit 99
fi
if [ ! -f "$skip_file" ]; then
  echo "run-spec.sh: ERROR: skip list $skip_file is missing"
  exit 99
fi

if command -v sha256sum >/dev/null 2>&1; then
  hash_of() { sha256sum | cut -c1-16; }
else
  hash_of() { cksum | tr ' ' '-'; }
fi

case $runner in /*) ;; *) runner=$(pwd)/$runner ;; esac
case $skip_file in /*) ;; *) skip_file=$(pwd)/$skip_file ;; esac
mkdir -p "$cache" || exit 99
cache=$(cd "$cache" && pwd) || exit 99
version=$("$wast2json" --version 2>/dev/null || echo unknown)
list=$cache/files.txt
: >"$list" || exit 99

# convert DIR REL GROUP FLAGS: DIR/REL (a .wast) -> GROUP/NAME/HASH/NAME.json
# in the cache. Runs in DIR so the JSON's source_filename is REL (i32.wast,
# memory64/address.wast), which is what the skip list names. An older
# conversion of the same file is replaced.
convert() {
  dir=$1 rel=$2 group=$3 flags=$4
  name=$(basename "$rel" .wast)
  key=$( (cat "$dir/$rel" && echo "$flags $version") | hash_of)
  out=$group/$name/$key
  if [ ! -f "$cache/$out/done" ]; then
    rm -rf "${cache:?}/$group/$name"
    mkdir -p "$cache/$out" || return 1
    # shellcheck disable=SC2086 # flags are words
    if ! (cd "$dir" && "$wast2json" $flags "$rel" -o "$cache/$out/$name.json")
    then
      echo "run-spec.sh: wast2json failed on $dir/$rel"
      rm -rf "${cache:?}/$group/$name"
      return 1
    fi
    : >"$cache/$out/done"
  fi
  echo "$out/$name.json" >>"$list"
}

# The NAME arguments, or everything. Remembers what it selected.
selected=" "
wanted() {
  if [ $# -gt 0 ]; then
    found=no
    for w in "$@"; do [ "$w" = "$candidate" ] && found=yes; done
    [ $found = yes ] || return 1
  fi
  selected="$selected$candidate "
}

status=0
for wast in "$spec_dir"/*.wast; do
  name=$(basename "$wast" .wast)
  candidate=$name
  wanted "$@" || continue
  convert "$spec_dir" "$name.wast" core "" || status=1
done
for wast in "$spec_dir"/proposals/memory64/*.wast; do
  [ -f "$wast" ] || continue
  name=$(basename "$wast" .wast)
  candidate=memory64/$name
  wanted "$@" || continue
  convert "$spec_dir/proposals" "memory64/$name.wast" memory64 \
    --enable-memory64 || status=1
done

for wast in "$spec_dir"/proposals/tail-call/*.wast; do
  [ -f "$wast" ] || continue
  name=$(basename "$wast" .wast)
  candidate=tail-call/$name
  wanted "$@" || continue
  convert "$spec_dir/proposals" "tail-call/$name.wast" tail-call \
    --enable-tail-call || status=1
done

for w in "$@"; do
  case $selected in
    *" $w "*) ;;
    *) echo "run-spec.sh: ERROR: no $w.wast selected (names look like i32," \
            "memory64/address or tail-call/return_call)"
       exit 99 ;;
  esac
done
if [ ! -s "$list" ]; then
  echo "run-spec.sh: ERROR: no .wast file selected under $spec_dir"
  exit 99
fi

# Runner self-check: a small script whose commands marked "expect failure"
# must fail and whose others must pass, so a runner that passes everything
# (or fails everything) cannot go unnoticed.
check_dir=$cache/selfcheck
mkdir -p "$check_dir" || exit 99
cat >"$check_dir/selfcheck.wast" <<'END_OF_WAST'
;; canmem-wast self-check: every command marked as expecting failure must fail, the
;; others must pass, so a runner that passes everything is caught.
(module $m
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "pair") (result i32 i64) (i32.const 1) (i64.const 2))
  (func (export "snan") (result f32) (f32.const nan:0x200000))
  (func (export "qnan") (result f32) (f32.const -nan:0x600000))
  (func (export "cnan") (result f64) (f64.const nan))
  (func (export "negzero") (result f64) (f64.const -0))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "null") (result funcref) (ref.null func))
  (func $loop (export "loop") (call $loop))
  (func (export "div") (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (global (export "g") i32 (i32.const 42))
  (func (export "v") (param v128) (result v128) (local.get 0))
  (func (export "vnan") (result v128) (v128.const f32x4 nan -nan:0x600000 1 2)))
(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 2))
(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 3)) ;; expect failure
(assert_return (invoke "add" (i32.const -1) (i32.const 0)) (i32.const -1))
(assert_return (invoke "pair") (i32.const 1) (i64.const 2))
(assert_return (invoke "pair") (i32.const 1) (i64.const 3)) ;; expect failure
(assert_return (invoke "snan") (f32.const nan:arithmetic)) ;; expect failure
(assert_return (invoke "qnan") (f32.const nan:arithmetic))
(assert_return (invoke "qnan") (f32.const nan:canonical)) ;; expect failure
(assert_return (invoke "cnan") (f64.const nan:canonical))
(assert_return (invoke "negzero") (f64.const -0))
(assert_return (invoke "negzero") (f64.const 0)) ;; expect failure
(assert_return (invoke "id" (ref.extern 0)) (ref.extern 0))
(assert_return (invoke "id" (ref.extern 0)) (ref.extern 1)) ;; expect failure
(assert_return (invoke "id" (ref.extern 0)) (ref.null extern)) ;; expect failure
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "null") (ref.null func))
(assert_return (get "g") (i32.const 42))
(assert_return (invoke "v" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 4))
(assert_return (invoke "v" (v128.const i32x4 1 2 3 4)) (v128.const i64x2 0x200000001 0x400000003))
(assert_return (invoke "v" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 5)) ;; expect failure
(assert_return (invoke "v" (v128.const i8x16 1 0 0 0 2 0 0 0 3 0 0 0 4 0 0 0)) (v128.const i32x4 1 2 3 4))
(assert_return (invoke "vnan") (v128.const f32x4 nan:canonical nan:arithmetic 1 2))
(assert_return (invoke "vnan") (v128.const f32x4 nan:canonical nan:canonical 1 2)) ;; expect failure
(assert_return (invoke "vnan") (v128.const f32x4 nan:arithmetic nan:arithmetic 1 3)) ;; expect failure
(assert_return (get $m "g") (i32.const 43)) ;; expect failure
(assert_trap (invoke "div" (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1)) "integer divide by zero") ;; expect failure
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_exhaustion (invoke "add" (i32.const 1) (i32.const 1)) "call stack exhausted") ;; expect failure
(assert_malformed (module binary "\00asm\01\00\00\00") "empty module is well-formed") ;; expect failure
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_invalid (module (func (result i32) (i32.const 0))) "a valid module") ;; expect failure
(assert_unlinkable (module (import "spectest" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i32)))) "it links") ;; expect failure
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
(assert_trap (module (func $f unreachable) (start $f)) "unreachable")
(register "m" $m)
(module (import "m" "add" (func (param i32 i32) (result i32))) (import "spectest" "global_i32" (global i32)))
(module (import "m" "nothing" (func))) ;; expect failure
(invoke $m "add" (i32.const 1) (i32.const 2))
(invoke $m "div" (i32.const 0)) ;; expect failure
END_OF_WAST
if ! (cd "$check_dir" && "$wast2json" selfcheck.wast -o selfcheck.json); then
  echo "run-spec.sh: ERROR: wast2json failed on the self-check script"
  exit 99
fi
want=$(grep -n ';; expect failure$' "$check_dir/selfcheck.wast" | cut -d: -f1 |
       tr '\n' ' ')
got=$( (cd "$check_dir" && "$runner" selfcheck.json) |
      sed -n 's/^selfcheck\.wast:\([0-9][0-9]*\): .*/\1/p' | tr '\n' ' ')
if [ "$want" != "$got" ]; then
  echo "run-spec.sh: ERROR: canmem-wast self-check: expected failures on" \
       "lines $want; got them on lines $got"
  (cd "$check_dir" && "$runner" selfcheck.json)
  exit 99
fi
# A failure names the command with its action and arguments (canmem-wast
# formats them only when a message needs them).
if ! (cd "$check_dir" && "$runner" selfcheck.json) |
    grep -qF 'assert_return (invoke "add" i32:1 i32:1): expected'; then
  echo "run-spec.sh: ERROR: canmem-wast self-check: a failure does not name" \
       "its action and arguments"
  exit 99
fi

# One runner process for every file (a store per file, totals at the end),
# run in the cache so the file list holds short relative paths.
# shellcheck disable=SC2086,SC2046 # flags are words; list paths have no spaces
(cd "$cache" && "$runner" --skip-file "$skip_file" ${CANMEM_WAST_FLAGS:-} \
   $(cat "$list"))
rc=$?
case $rc in
  0) ;;
  1) status=1 ;;
  *) echo "run-spec.sh: canmem-wast stopped on bad input (exit $rc)"
     exit 99 ;;
esac
exit $status
