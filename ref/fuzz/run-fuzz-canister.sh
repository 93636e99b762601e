#!/bin/sh
# `make fuzz-canister`: build the canister-level libFuzzer harness
# (ref/fuzz/fuzz_canister.c with the canister model, the engine and the
# profile reader; clang -fsanitize=fuzzer,address,undefined), compile the
# modules of a chosen set of vector areas into OUTDIR/canister-modules with
# canmem-run --save-modules, write the seed inputs
# (ref/fuzz/canister-seeds.py) and fuzz for FUZZ_SECONDS.
# Usage: run-fuzz-canister.sh SRCDIR OUTDIR SOURCE.c...  (sources relative
# to SRCDIR). Environment: CLANG, PYTHON3, CANMEM_RUN (the built runner),
# WAT2WASM, CM_ENGINE_DEFS, FUZZ_SECONDS (default 60), FUZZ_SEED (default
# 1; 0 = libFuzzer picks one), FUZZ_FLAGS (more libFuzzer options),
# CANMEM_FUZZ_ADAPTER (an adapter .so instead of the reference),
# FUZZ_PROFILES (profile names, default below).
# New inputs go to OUTDIR/canister-corpus, findings to
# OUTDIR/canister-crash-*; replay one with ref/fuzz/replay-canister.sh.
set -eu

# absolute, for the environment file that replays use from anywhere
srcdir=$(cd "$1" && pwd)
mkdir -p "$2"
outdir=$(cd "$2" && pwd)
shift 2
seconds=${FUZZ_SECONDS:-60}
seed=${FUZZ_SEED:-1}
profiles=${FUZZ_PROFILES:-small-limits alternative-readings ic-2021 ic-2022 ic-2025 ic-current}

fail() { echo "fuzz-canister: $*" >&2; exit 1; }
[ -n "${CLANG:-}" ] || fail "clang not found: apt-get install clang libclang-rt-14-dev"
[ -x "${CANMEM_RUN:-}" ] || fail "runner/canmem-run not built: run make"

sources=
for f in "$@"; do
  sources="$sources $srcdir/$f"
done
echo "fuzz-canister: building $outdir/fuzz_canister"
# shellcheck disable=SC2086 # lists of paths and flags without spaces
"$CLANG" -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all ${CM_ENGINE_DEFS:-} -I"$srcdir/ref/engine" \
  -I"$srcdir/ref/canister" -I"$srcdir/ref/abi" -I"$srcdir/ref/profile" \
  -o "$outdir/fuzz_canister" "$srcdir/ref/fuzz/fuzz_canister.c" $sources \
  -ldl -lm || fail "cannot build the harness (libFuzzer comes with libclang-rt-14-dev)"

# The canister modules: every module of these areas, as the runner splices
# and compiles them (the big-heap vectors' modules included: the harness
# only touches what the input touches).
mods=$outdir/canister-modules
rm -rf "$mods" "$outdir/canister-modules.tmp"
"$CANMEM_RUN" --save-modules "$outdir/canister-modules.tmp" \
  --profile small-limits "$srcdir/vectors/stable" "$srcdir/vectors/stable32" \
  "$srcdir/vectors/stable64" "$srcdir/vectors/heap" \
  "$srcdir/vectors/lifecycle" "$srcdir/vectors/transactions" \
  "$srcdir/vectors/queries" "$srcdir/vectors/low-memory" \
  "$srcdir/vectors/settings" "$srcdir/vectors/wasm64" \
  "$srcdir/vectors/copy" "$srcdir/vectors/regressions" >/dev/null ||
  fail "canmem-run could not compile the vectors' modules"
mkdir -p "$mods"
mv "$outdir"/canister-modules.tmp/*.wasm "$mods/"
rm -rf "$outdir/canister-modules.tmp"

profile_files=
for p in $profiles; do
  f=$srcdir/suite/profiles/$p.profile
  [ -f "$f" ] || fail "no profile $f"
  profile_files=${profile_files:+$profile_files:}$f
done

mkdir -p "$outdir/canister-corpus" "$outdir/canister-seeds"
"${PYTHON3:-python3}" "$srcdir/ref/fuzz/canister-seeds.py" "$mods" \
  "$outdir/canister-seeds"

# The environment the harness reads; replay-canister.sh reads it back.
cat >"$outdir/canister-env" <<ENV
CANMEM_FUZZ_MODULES='$mods'
CANMEM_FUZZ_PROFILES='$profile_files'
CANMEM_FUZZ_ADAPTER='${CANMEM_FUZZ_ADAPTER:-ref}'
export CANMEM_FUZZ_MODULES CANMEM_FUZZ_PROFILES CANMEM_FUZZ_ADAPTER
ENV
. "$outdir/canister-env"

echo "fuzz-canister: $(find "$mods" -name '*.wasm' | wc -l) modules," \
  "$(echo "$profiles" | wc -w) profiles, adapter $CANMEM_FUZZ_ADAPTER;" \
  "fuzzing for $seconds s, seed $seed"
# -rss_limit_mb: a heap or stable memory of many GiB is reserved, not
# touched; what the harness reads stays small.
# shellcheck disable=SC2086 # FUZZ_FLAGS is a list of options
"$outdir/fuzz_canister" -max_total_time="$seconds" -seed="$seed" \
  -print_final_stats=1 -timeout=60 -rss_limit_mb=3072 -malloc_limit_mb=3072 \
  -max_len=400 \
  -artifact_prefix="$outdir/canister-" \
  ${FUZZ_FLAGS:-} "$outdir/canister-corpus" "$outdir/canister-seeds"
echo "fuzz-canister: no finding in $seconds s; corpus in $outdir/canister-corpus"
