#!/bin/sh
# `make check` hook: the requirement catalogue (suite/rules.txt) and the
# vectors agree. Fails when a rule inside the model has no vector, a vector
# names an unknown rule or reading, or a record is malformed (see
# suite/catalogue.py). Exit 77 (skip) without python3.
srcdir=${srcdir:-.}
python=${PYTHON3:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  echo "check-catalogue: $python not found; skipped"
  exit 77
fi
"$python" "$srcdir/suite/catalogue.py" --summary \
  --rules "$srcdir/suite/rules.txt" --vectors "$srcdir/vectors" || exit 1
exec "$python" "$srcdir/suite/catalogue.py" --check \
  --rules "$srcdir/suite/rules.txt" --vectors "$srcdir/vectors"
