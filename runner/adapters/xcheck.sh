#!/bin/sh
# Cross-check: every vector on the three runtimes (the reference, v8,
# wasm2c) through runner/driver.py, with the expectation files
# suite/expect/<runtime>. Exits 0 when nothing unexpected happened (passes,
# skips and expected failures only), 1 otherwise, 2 for usage errors.
#
#   runner/adapters/xcheck.sh [--profile NAME]... [--runtime NAME]...
#                             [-j N] [--out FILE] [--quiet] [-- DRIVER-ARGS]
#
# Run it from the build tree (or set CANMEM_BUILDDIR); `make xcheck` does.
# --profile: default every suite/profiles/*.profile but ic-large-heaps.
# --runtime: canmem-ref, v8 or wasm2c (default all three). -j: default 2. --out: the merged
# document (schema canmem-results/1), default xcheck-results.json.
# Anything after -- goes to the driver (--filter, --area, --timeout ...).
# The v8 runtime needs the pinned Node (runner/adapters/v8/setup.sh) or
# CANMEM_V8_NODE; without it the v8 run fails at its first vector, loudly.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
builddir=${CANMEM_BUILDDIR:-}
if [ -z "$builddir" ]; then
  if [ -x ./runner/canmem-run ]; then builddir=$(pwd); else builddir=$srcdir; fi
fi
python=${PYTHON3:-python3}

profiles= runtimes= jobs=2 out=xcheck-results.json quiet=
while [ $# -gt 0 ]; do
  case $1 in
    --profile) [ $# -ge 2 ] || { echo "xcheck: --profile needs a value" >&2; exit 2; }
               profiles="$profiles $2"; shift 2 ;;
    --runtime) [ $# -ge 2 ] || { echo "xcheck: --runtime needs a value" >&2; exit 2; }
               runtimes="$runtimes $2"; shift 2 ;;
    -j)        [ $# -ge 2 ] || { echo "xcheck: -j needs a value" >&2; exit 2; }
               jobs=$2; shift 2 ;;
    --out)     [ $# -ge 2 ] || { echo "xcheck: --out needs a value" >&2; exit 2; }
               out=$2; shift 2 ;;
    --quiet)   quiet=--quiet; shift ;;
    --)        shift; break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *)         echo "xcheck: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# ic-large-heaps is left out of the default: the whole suite under it
# would add a sixth full run on v8 and wasm2c for the few vectors it
# changes (those tagged big-heap, which run at 6 GiB under ic-current).
# Run them at 18 GiB with: xcheck.sh --profile ic-large-heaps -- --tag big-heap
if [ -z "$profiles" ]; then
  for f in "$srcdir"/suite/profiles/*.profile; do
    case $(basename "$f") in ic-large-heaps.profile) continue ;; esac
    profiles="$profiles $(basename "$f" .profile)"
  done
fi
[ -n "$runtimes" ] || runtimes="canmem-ref v8 wasm2c"

runner="$builddir/runner/canmem-run"
[ -x "$runner" ] || { echo "xcheck: $runner not built (run make, or set CANMEM_BUILDDIR)" >&2; exit 2; }

# the driver's arguments: appended to what followed --
for r in $runtimes; do
  case $r in
    canmem-ref) adapter=ref ;;
    v8)         adapter="$builddir/runner/adapters/v8/.libs/canmem-v8-adapter.so" ;;
    wasm2c)     adapter="$builddir/runner/adapters/wasm2c/.libs/canmem-wasm2c-adapter.so" ;;
    *)          echo "xcheck: unknown runtime $r (canmem-ref, v8, wasm2c)" >&2; exit 2 ;;
  esac
  if [ "$adapter" != ref ] && [ ! -f "$adapter" ]; then
    echo "xcheck: $adapter not built" >&2; exit 2
  fi
  set -- "$@" --runtime "$r=$adapter"
done
for p in $profiles; do set -- "$@" --profile "$p"; done

start=$(date +%s)
# Every vector runs under the driver's default timeout (30 s): big heaps
# cost what they touch on every runtime (issue 13).
"$python" "$srcdir/runner/driver.py" --canmem-run "$runner" \
  --suite "$srcdir/suite" -j "$jobs" --out "$out" $quiet "$@" \
  "$srcdir/vectors"
status=$?
echo "xcheck: $(( $(date +%s) - start )) s, results in $out, exit $status" >&2
exit $status
