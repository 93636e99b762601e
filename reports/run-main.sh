#!/bin/sh
# The main job (`make main`): the reference engine over the official
# WebAssembly core test suite, then every vector on the reference under the
# ic-current profile through runner/driver.py, then the reports under
# reports/out/ (HTML, Markdown, JUnit XML, the merged JSON). Prints both
# summaries, a combined `N passed, N failed, N skipped` line last (.ci/run
# reads it), and where the report is; fails when anything failed.
# Environment (set by the Makefile): srcdir, PYTHON3, CANMEM_RUN, the spec
# runner's variables (CANMEM_WAST, CANMEM_SPEC_DIR, WAST2JSON).
# REPORT_RUNTIMES / REPORT_PROFILES (space-separated) widen the run, e.g.
# REPORT_RUNTIMES="canmem-ref=ref wasm2c=runner/adapters/wasm2c/.libs/canmem-wasm2c-adapter.so".
set -u
srcdir=${srcdir:-.}
out=${REPORTS_OUT:-reports/out}
python=${PYTHON3:-python3}
runtimes=${REPORT_RUNTIMES:-canmem-ref=ref}
profiles=${REPORT_PROFILES:-ic-current}
status=0
spec_passed=0 spec_failed=0 spec_skipped=0

echo "== the reference engine over the WebAssembly core test suite"
spec_log=$(mktemp) || exit 1
trap 'rm -f "$spec_log"' EXIT
spec_status=0
$SHELL "$srcdir/ref/tests/run-spec.sh" >"$spec_log" 2>&1 || spec_status=$?
tail -n 5 "$spec_log"
if [ "$spec_status" = 77 ]; then
  echo "main: the spec suite was skipped (see above); it is required here" >&2
  status=1
elif [ "$spec_status" != 0 ]; then
  echo "main: the spec suite failed (exit $spec_status); full output: make check, ref/tests/run-spec.sh.log" >&2
  status=1
fi
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$spec_log" | tail -n 1)
if [ -n "$line" ]; then
  spec_passed=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
  spec_failed=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
  spec_skipped=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
  spec_skipped=${spec_skipped:-0}
fi

echo
echo "== the conformance suite: vectors/ on $runtimes, profile $profiles"
mkdir -p "$out" || exit 1
set --
for r in $runtimes; do set -- "$@" --runtime "$r"; done
for p in $profiles; do set -- "$@" --profile "$p"; done
driver_status=0
"$python" "$srcdir/runner/driver.py" --quiet "$@" --suite "$srcdir/suite" \
  --out "$out/results.json" "$srcdir/vectors" || driver_status=$?
if [ "$driver_status" != 0 ]; then
  status=1
  [ "$driver_status" = 1 ] || echo "main: the driver failed (exit $driver_status)" >&2
fi
if [ ! -f "$out/results.json" ]; then
  echo "main: no results were written; no report" >&2
  exit 1
fi
"$python" "$srcdir/reports/make-report.py" --quiet --results "$out/results.json" \
  --out "$out" --suite "$srcdir/suite" --vectors "$srcdir/vectors" || status=1
"$python" "$srcdir/reports/make-docs.py" --out "$out/docs" --suite "$srcdir/suite" \
  --vectors "$srcdir/vectors" --results "$out/results.json" || status=1

# One combined line: spec assertions plus vectors (over every run).
counts=$("$python" -c '
import json, sys
s = json.load(open(sys.argv[1])).get("summary", {})
print(s.get("passed", 0) + s.get("xfail", 0),
      s.get("failed", 0) + s.get("xpass", 0) + s.get("errors", 0), s.get("skipped", 0))
' "$out/results.json") || { status=1; counts="0 1 0"; }
set -- $counts
echo
echo "vectors: $1 passed (expected failures included), $2 failed, $3 skipped"
echo "report: $out/index.html (also summary.md, junit.xml, results.json, docs/)"
echo "$((spec_passed + $1)) passed, $((spec_failed + $2)) failed, $((spec_skipped + $3)) skipped (spec suite and vectors)"
exit $status
