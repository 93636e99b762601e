#!/bin/sh
# Renders the report pages in headless Chromium (no JavaScript needed, no
# network): dumps the DOM and checks the key elements, takes a screenshot
# (kept as reports/tests/out/report.png). Exit 77 without Chromium or python3.
set -u
srcdir=${srcdir:-.}
python=${PYTHON3:-python3}
browser=
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
[ -n "$browser" ] || { echo "chromium is not installed: skipped (apt-get install chromium)"; exit 77; }
command -v "$python" >/dev/null 2>&1 || { echo "python3 is missing: skipped"; exit 77; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
out=reports/tests/out
mkdir -p "$out" "$tmp/suite" || exit 99
cp "$srcdir/reports/tests/fixture-rules.txt" "$tmp/suite/rules.txt" || exit 99
"$python" "$srcdir/reports/make-report.py" --quiet --results "$srcdir/reports/tests/fixture-results.json" \
  --out "$out" --suite "$tmp/suite" --vectors "$srcdir/vectors" || exit 1

# --disable-javascript is not a switch; the pages have no scripts to run anyway.
render() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$tmp/profile" --window-size=1280,1600 "$@" 2>>"$tmp/browser.log"
}

failures=0
check() {  # check FILE PATTERN WHAT
  if grep -q -- "$2" "$1"; then echo "ok: $3"; else echo "FAIL: $3 ($2 not in the rendered page)"; failures=$((failures + 1)); fi
}

page=$(cd "$out" && pwd)/run-wasm2c--ic-current.html
render --dump-dom "file://$page" >"$tmp/run.dom"
check "$tmp/run.dom" 'id="summary"' "run page: the summary counts"
check "$tmp/run.dom" 'id="count-failed"><b>4</b>' "run page: 4 failures counted"
check "$tmp/run.dom" 'id="failures"' "run page: the failures section"
check "$tmp/run.dom" 'class="expected"' "run page: expected outcome of a failure"
check "$tmp/run.dom" 'class="actual"' "run page: actual outcome of a failure"
check "$tmp/run.dom" 'class="reproduce"' "run page: reproduction command"
check "$tmp/run.dom" 'class="source"' "run page: the vector's source"
check "$tmp/run.dom" 'id="by-area"' "run page: results by area"
check "$tmp/run.dom" 'id="by-rule"' "run page: results by rule"
render --dump-dom "file://$(cd "$out" && pwd)/compare.html" >"$tmp/compare.dom"
check "$tmp/compare.dom" 'id="readings-table"' "comparison: readings of ambiguous rules"
check "$tmp/compare.dom" 'stable-first' "comparison: reading names"
render --dump-dom "file://$(cd "$out" && pwd)/index.html" >"$tmp/index.dom"
check "$tmp/index.dom" 'href="compare.html"' "index: link to the comparison"

rm -f "$out/report.png"
render --screenshot="$(cd "$out" && pwd)/report.png" "file://$page" >/dev/null
if [ -s "$out/report.png" ] && [ "$(head -c 4 "$out/report.png" | od -An -c | tr -d ' ')" = '211PNG' ] &&
   [ "$(wc -c <"$out/report.png")" -gt 20000 ]; then
  echo "ok: screenshot $out/report.png ($(wc -c <"$out/report.png") bytes)"
else
  echo "FAIL: no usable screenshot"; failures=$((failures + 1))
  tail -n 20 "$tmp/browser.log"
fi
[ "$failures" = 0 ] || { echo "$failures checks failed"; exit 1; }
echo "all checks passed"
