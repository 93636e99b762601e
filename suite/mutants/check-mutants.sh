#!/bin/sh
# `make check` hook for the mutation tool (docs/mutants.md), so it stays
# alive: the comparison rejects every wrong expectation of
# runner/tests/vectors/wrong/; the same seed lists the same mutants; a
# small seeded sample builds and runs to a verdict each (under
# ic-current, without the coverage pass); a mutant with the unchanged
# object code is found identical; output that is not UTF-8 is read; a
# vector changed since the coverage pass pins no reading; and one known
# bug put back into the model is caught. Exit 77 (skip) without python3.
srcdir=${srcdir:-.}
python=${PYTHON3:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  echo "check-mutants: $python not found; skipped"
  exit 77
fi
tool="$srcdir/suite/mutants/mutants.py"
work=reports/mutants-check
rm -rf "$work"
mkdir -p "$work"
status=0

# 1. every wrong expectation fails, as a failure (not an error)
runner/canmem-run --suite "$srcdir/suite" "$srcdir"/runner/tests/vectors/wrong/*.wast \
  >"$work/wrong.tap" 2>&1
total=`ls "$srcdir"/runner/tests/vectors/wrong/*.wast | wc -l`
failed=`grep -c '^  outcome: fail$' "$work/wrong.tap"`
if test "$failed" -ne "$total"; then
  echo "FAIL: $failed of $total wrong expectations were reported as failures"
  grep -E '^(ok|not ok)|outcome:' "$work/wrong.tap"
  status=1
else
  echo "ok: the runner rejects all $total wrong expectations"
fi

# 2. sampling is reproducible and covers every target file's glob
"$python" "$tool" list --srcdir "$srcdir" --seed ci --sample 30 >"$work/a" &&
"$python" "$tool" list --srcdir "$srcdir" --seed ci --sample 30 >"$work/b" ||
  status=1
if ! cmp -s "$work/a" "$work/b" || test `wc -l <"$work/a"` -ne 30; then
  echo "FAIL: the same seed did not give the same 30 mutants"
  status=1
else
  echo "ok: the same seed gives the same 30 mutants"
fi

# 3. a small sample: each mutant ends killed, survived or stillborn
"$python" "$tool" run --srcdir "$srcdir" --builddir . --seed ci --sample 6 \
  --profile ic-current \
  --no-coverage -j 2 --results "$work/results.jsonl" --workdir "$work/work" \
  >"$work/run.log" 2>&1 || status=1
cat "$work/run.log"
verdicts=`grep -c '"status": "\(killed\|survived\|stillborn\|identical\)"' "$work/results.jsonl"`
if test "$verdicts" -ne 6; then
  echo "FAIL: $verdicts of 6 mutants have a verdict"
  status=1
fi

# 4. a mutant that compiles to the unchanged object code is told apart
# without running a vector (adapter.c: `return CANMEM_OK` -> `return 0`)
"$python" "$tool" run --srcdir "$srcdir" --builddir . --sample 0 \
  --ids 2fae0615de34 --no-coverage --profile ic-current \
  --results "$work/same.jsonl" --workdir "$work/work" >"$work/same.log" 2>&1 || status=1
if grep -q '"status": "identical"' "$work/same.jsonl"; then
  echo "ok: a mutant with the unchanged object code is identical"
else
  echo "FAIL: 2fae0615de34 (return CANMEM_OK -> 0) was not found identical"
  cat "$work/same.log"
  status=1
fi

# 5. a mutant's runner that prints bytes that are not UTF-8 gives a verdict
# (it stopped a whole run once)
printf '#!/bin/sh\nprintf "ok 1 - x \\220\\374\\n"\n' >"$work/bad-bytes"
chmod +x "$work/bad-bytes"
if PYTHONPATH="$srcdir/suite/mutants" "$python" -c '
import sys, mutants
r = mutants.Runner(".", sys.argv[1], 5)
hit = r._canmem_run(sys.argv[2], "ic-current", ["v.wast"],
                    lambda line: line is not None and line.startswith("ok 1"))
sys.exit(0 if hit and "\ufffd" in hit else 1)' "$srcdir" "`pwd`/$work/bad-bytes"; then
  echo "ok: runner output that is not UTF-8 is read"
else
  echo "FAIL: runner output that is not UTF-8 stopped the tool"
  status=1
fi

# 6. a vector changed since the coverage pass runs against every mutant and
# pins no reading (its steps may have moved: stale pins killed mutants once)
if PYTHONPATH="$srcdir/suite/mutants" "$python" -c '
import sys, mutants
b = mutants.Baseline.__new__(mutants.Baseline)
b.all_vectors = ["vectors/a/same.wast", "vectors/a/edited.wast", "vectors/a/added.wast"]
b.digests = {"vectors/a/same.wast": "1", "vectors/a/edited.wast": "2", "vectors/a/added.wast": "3"}
b._load({"reach": {}, "known": {}, "vectors": {"vectors/a/same.wast": "1",
         "vectors/a/edited.wast": "old"},
         "readings": {"ic-current a/same 2": "x", "ic-current a/edited 2": "y"}})
ok = b.new_vectors == ["vectors/a/edited.wast", "vectors/a/added.wast"] and \
    b.readings == {"ic-current a/same 2": "x"}
sys.exit(0 if ok else 1)'; then
  echo "ok: a vector changed since the coverage pass pins no reading"
else
  echo "FAIL: a changed vector kept the readings of its old steps"
  status=1
fi

# 7. a mutant the vectors must kill is killed: a known bug, twice
"$python" "$srcdir/suite/known-bugs/known-bugs.py" check --srcdir "$srcdir" \
  --builddir . --workdir "$work/bugs" ichs-stable-grow-negative || status=1
exit $status
