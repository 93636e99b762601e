#!/bin/sh
# docs/generated/ must match what reports/make-docs.py makes of the current
# catalogue, vectors and the reference's readings under every profile.
#   reports/check-docs.sh            regenerate into a temporary folder and diff
#   reports/check-docs.sh --refresh  rewrite docs/generated/ (`make docs`)
# Environment: srcdir, PYTHON3, CANMEM_RUN (set by the Makefile).
# Exit 77 (skip) without python3 or canmem-run.
set -u
mode=${1:-}
srcdir=${srcdir:-.}
python=${PYTHON3:-python3}
command -v "$python" >/dev/null 2>&1 || { echo "python3 is missing: skipped"; exit 77; }
run=${CANMEM_RUN:-runner/canmem-run}
[ -x "$run" ] || { echo "$run is not built: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
set --
for profile in "$srcdir"/suite/profiles/*.profile; do
  name=$(basename "$profile" .profile)
  set -- "$@" --profile "$name"
done
# The docs show readings, so failures do not matter here; a driver that
# did not finish does.
CANMEM_CACHE_DIR="$tmp/cache" "$python" "$srcdir/runner/driver.py" --quiet \
  --canmem-run "$run" --runtime canmem-ref=ref "$@" --suite "$srcdir/suite" \
  --out "$tmp/results.json" "$srcdir/vectors" >"$tmp/driver.log" 2>&1
if [ ! -s "$tmp/results.json" ]; then
  cat "$tmp/driver.log"
  echo "check-docs: the driver wrote no results" >&2
  exit 1
fi
"$python" "$srcdir/reports/make-docs.py" --out "$tmp/docs" --suite "$srcdir/suite" \
  --vectors "$srcdir/vectors" --results "$tmp/results.json" || exit 1
if [ "$mode" = --refresh ] || [ "${CHECK_DOCS_REFRESH:-}" = yes ]; then
  mkdir -p "$srcdir/docs/generated" && cp "$tmp"/docs/*.md "$srcdir/docs/generated/" &&
    echo "docs/generated/ refreshed" && exit 0
  exit 1
fi
if diff -ru "$srcdir/docs/generated" "$tmp/docs" >"$tmp/diff"; then
  echo "docs/generated/ is up to date ($(ls "$tmp/docs" | wc -l) files)"
  exit 0
fi
head -n 60 "$tmp/diff"
echo
echo "docs/generated/ is stale (the catalogue, the vectors or the reference changed)."
echo "Refresh it with:  make docs"
exit 1
