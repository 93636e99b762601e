#!/usr/bin/env python3
"""canmem driver: many vectors x many runtimes x profiles, in parallel.

Runs canmem-run over batches of vector files for every runtime and profile
named, shows progress on long runs, and merges the per-batch JSON into one
document (schema canmem-results/1, described in docs/runner.md) that
reports are built from. Standard library only.

    runner/driver.py --runtime canmem-ref=ref \\
                     --runtime my-vm=path/to/my-adapter.so \\
                     --profile ic-current --profile small-limits \\
                     --out reports/results.json [PATH...]

Exit status: 0 when every run passed (skips and expected failures
allowed), 1 when anything failed, passed unexpectedly or was broken, 2 for
usage errors.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time

SCHEMA = "canmem-results/1"
OUTCOMES = ("passed", "failed", "skipped", "xfail", "xpass", "errors")


# `make install` writes the installed layout into the canmem-driver and
# canmem-report commands (runner/runner.am); here in the source tree the
# placeholders stay as they are.
INSTALLED_BINDIR = "@bindir@"
INSTALLED_PKGDATADIR = "@pkgdatadir@"


def installed_data_dir():
    """$(pkgdatadir) when this is an installed command, else None. The
    installation may have been moved under another root (make install
    DESTDIR=ROOT): then the command is at ROOT$(bindir) and the data at
    ROOT$(pkgdatadir)."""
    if INSTALLED_PKGDATADIR.startswith("@"):
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    if here.endswith(INSTALLED_BINDIR):
        return here[:len(here) - len(INSTALLED_BINDIR)] + INSTALLED_PKGDATADIR
    return INSTALLED_PKGDATADIR


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    installed = installed_data_dir()
    p = argparse.ArgumentParser(
        prog="canmem-driver" if installed else "driver.py",
        description="Run canmem vectors against several runtimes and "
        "profiles in parallel and merge the results into one JSON "
        "document.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="vector files or folders (default: the whole "
                   "suite, from where canmem-run finds it: the installed "
                   "vectors, or the source tree's for the build tree's "
                   "canmem-run)")
    p.add_argument("--runtime", action="append", default=[],
                   metavar="NAME=ADAPTER",
                   help="a runtime to test: a label and the adapter "
                   "(ref, or a path to an adapter .so); repeatable "
                   "(default: canmem-ref=ref)")
    p.add_argument("--profile", action="append", default=[],
                   metavar="NAME",
                   help="profile name or file; repeatable "
                   "(default: ic-current)")
    p.add_argument("--canmem-run", default=os.environ.get("CANMEM_RUN"),
                   metavar="PROGRAM",
                   help="the runner (default: $CANMEM_RUN, canmem-run in "
                   "the build tree, or on PATH)")
    p.add_argument("--suite", metavar="DIR",
                   default=os.environ.get("CANMEM_SUITE_DIR") or
                   os.path.join(installed or os.path.dirname(here), "suite"),
                   help="rules, profiles and expect/ (default: the "
                   "installed suite, or the source tree's suite/)")
    p.add_argument("--expect-dir", metavar="DIR",
                   help="per-runtime expectation files, named after the "
                   "runtime label (default: SUITE/expect)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                   help="parallel canmem-run processes (default: all "
                   "cores)")
    p.add_argument("--batch", type=int, default=0, metavar="N",
                   help="vectors per canmem-run process (default: spread "
                   "over the jobs)")
    p.add_argument("--timeout", type=float, default=30,
                   help="seconds per vector (default: 30)")
    p.add_argument("--cache", metavar="DIR",
                   help="compiled-module cache shared by all runs")
    for name in ("filter", "rule", "area", "tag"):
        p.add_argument("--" + name, action="append", default=[],
                       metavar="PATTERN",
                       help="passed to canmem-run (repeatable)")
    p.add_argument("--out", metavar="FILE",
                   help="write the merged JSON document here")
    p.add_argument("--quiet", action="store_true",
                   help="no progress, only the summary")
    c = p.add_argument_group(
        "coverage of the runtimes under test (docs/coverage.md)",
        "With --coverage, canmem-run runs with --coverage (each forked "
        "child writes its counters), and each runtime gets OUTDIR/NAME/"
        "coverage.info (lcov) and OUTDIR/NAME/html/index.html. The "
        "runtime must be built for it: gcc --coverage (gcov), clang "
        "-fprofile-instr-generate -fcoverage-mapping or rustc -C "
        "instrument-coverage (llvm), or a Node host (v8). Needs lcov "
        "and genhtml; llvm-profdata and llvm-cov for llvm.")
    c.add_argument("--coverage", metavar="OUTDIR",
                   help="measure each runtime's coverage, reports here")
    c.add_argument("--counters", action="append", default=[],
                   metavar="NAME=KIND",
                   help="how runtime NAME counts: gcov:DIR (the folder of "
                   "its objects and .gcno files), llvm[:OBJECT] (the "
                   "instrumented binary, default the adapter), v8; one "
                   "per runtime")
    c.add_argument("--coverage-include", action="append", default=[],
                   metavar="GLOB",
                   help="count only source files whose path matches "
                   "(repeatable; default all)")
    c.add_argument("--coverage-by-rule", nargs="?", const="*",
                   metavar="GLOB",
                   help="also the view by rule: each rule's vectors "
                   "alone (rules matching GLOB, default all), lcov "
                   "records per rule in OUTDIR/NAME/by-rule.info and "
                   "OUTDIR/NAME/html-by-rule/")
    args = p.parse_args(argv)
    if not args.runtime:
        args.runtime = ["canmem-ref=ref"]
    if not args.profile:
        args.profile = ["ic-current"]
    runtimes = []
    for spec in args.runtime:
        name, sep, adapter = spec.partition("=")
        if not sep or not name or not adapter:
            p.error("--runtime wants NAME=ADAPTER, not %r" % spec)
        runtimes.append((name, adapter))
    args.runtimes = runtimes
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    if not args.canmem_run and installed:
        beside = os.path.join(here, "canmem-run")  # installed together
        if os.access(beside, os.X_OK):
            args.canmem_run = beside
    if not args.canmem_run:
        built = os.path.join(os.getcwd(), "runner", "canmem-run")
        args.canmem_run = built if os.access(built, os.X_OK) else (
            shutil.which("canmem-run") or "canmem-run")
    if not args.expect_dir:
        args.expect_dir = os.path.join(args.suite, "expect")
    args.counters_of = {}
    for spec in args.counters:
        name, sep, kind = spec.partition("=")
        if not sep or name not in dict(runtimes):
            p.error("--counters wants NAME=KIND for a runtime named by "
                    "--runtime, not %r" % spec)
        args.counters_of[name] = kind
    if args.coverage:
        missing = [n for n, _ in runtimes if n not in args.counters_of]
        if missing:
            p.error("--coverage: say how runtime %s counts with --counters "
                    "%s=gcov:DIR|llvm|v8" % (missing[0], missing[0]))
    elif args.counters or args.coverage_include or args.coverage_by_rule:
        p.error("--counters, --coverage-include and --coverage-by-rule "
                "go with --coverage OUTDIR")
    return args


def selection_args(args):
    out = []
    for name in ("filter", "rule", "area", "tag"):
        for value in getattr(args, name):
            out += ["--" + name, value]
    return out


def list_vectors(args, extra=()):
    """The selected vector files, as canmem-run finds and filters them."""
    cmd = [args.canmem_run, "--list-paths", "--suite", args.suite]
    cmd += selection_args(args) + list(extra) + args.paths
    try:
        done = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        sys.exit("driver: cannot run %s: %s" % (args.canmem_run, e))
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        sys.exit(2)
    return [line for line in done.stdout.splitlines() if line]


def batches(files, args, runs):
    if args.batch > 0:
        size = args.batch
    else:
        # enough batches to keep every job busy, a few per job to balance
        wanted = max(1, (args.jobs * 3 + runs - 1) // runs)
        size = max(1, (len(files) + wanted - 1) // wanted)
    return [files[i:i + size] for i in range(0, len(files), size)]


class Progress:
    """One status line on a terminal; occasional lines otherwise."""

    def __init__(self, total, quiet):
        self.total, self.done, self.bad = total, 0, 0
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.lock = threading.Lock()
        self.last_print = 0.0
        self.start = time.monotonic()

    def advance(self, count, bad):
        with self.lock:
            self.done += count
            self.bad += bad
            if self.quiet:
                return
            now = time.monotonic()
            finished = self.done >= self.total
            if self.tty:
                sys.stderr.write("\r[%*d/%d] %d not passing, %.0f s " % (
                    len(str(self.total)), self.done, self.total, self.bad,
                    now - self.start))
                if finished:
                    sys.stderr.write("\n")
            elif finished or now - self.last_print >= 5:
                sys.stderr.write("driver: %d/%d vectors, %d not passing\n" %
                                 (self.done, self.total, self.bad))
                self.last_print = now
            sys.stderr.flush()


def run_batch(args, runtime, profile, files, workdir, index, env):
    name, adapter = runtime
    json_path = os.path.join(workdir, "batch-%d.json" % index)
    cmd = [args.canmem_run, "--adapter", adapter, "--profile", profile,
           "--suite", args.suite, "--timeout", str(args.timeout),
           "--json", json_path]
    if env is not None:
        cmd.append("--coverage")
    expect = os.path.join(args.expect_dir, name)
    if os.path.isfile(expect):
        cmd += ["--expect", expect]
    if args.cache:
        cmd += ["--cache", args.cache]
    cmd += files
    try:
        done = subprocess.run(cmd, capture_output=True, text=True,
                              env=dict(os.environ, **env) if env else None)
    except OSError as e:
        return None, "cannot run %s: %s" % (args.canmem_run, e), cmd
    result = None
    if os.path.isfile(json_path):
        with open(json_path, encoding="utf-8") as f:
            result = json.load(f)
    problem = None
    if done.returncode not in (0, 1) or result is None:
        problem = "canmem-run exited with status %d: %s" % (
            done.returncode, (done.stderr or done.stdout).strip()[-2000:])
    return result, problem, cmd


def empty_summary():
    return dict(total=0, **{k: 0 for k in OUTCOMES})


def add_summary(total, part):
    for key in total:
        total[key] += part.get(key, 0)


def execute(args, files, runtimes, runs, problems, env=None, quiet=None):
    """Runs files on the runtimes under every profile, in parallel batches,
    adding to runs (keyed by runtime and profile) and problems. env: the
    variables that a coverage run adds (canmem-run --coverage), or None."""
    combos = [(rt, pr) for rt in runtimes for pr in args.profile]
    chunks = batches(files, args, len(combos))
    progress = Progress(len(files) * len(combos),
                        args.quiet if quiet is None else quiet)
    workdir = tempfile.mkdtemp(prefix="canmem-driver-")
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            futures = {}
            index = 0
            for combo in combos:
                for chunk in chunks:
                    index += 1
                    f = pool.submit(run_batch, args, combo[0], combo[1],
                                    chunk, workdir, index, env)
                    futures[f] = (combo, chunk)
            for f in concurrent.futures.as_completed(futures):
                (runtime, profile), chunk = futures[f]
                result, problem, cmd = f.result()
                key = (runtime[0], profile)
                run = runs.setdefault(key, {
                    "runtime": runtime[0], "adapter": runtime[1],
                    "profile": profile, "runtime_name": None,
                    "runtime_version": None, "capabilities": [],
                    "profile_features": [], "expectations": None,
                    "summary": empty_summary(), "vectors": []})
                bad = 0
                if result is not None:
                    run["runtime_name"] = result["runtime"]["name"]
                    run["runtime_version"] = result["runtime"]["version"]
                    run["capabilities"] = result["runtime"]["capabilities"]
                    run["profile_features"] = result["profile"]["features"]
                    run["expectations"] = result["expectations"]
                    add_summary(run["summary"], result["summary"])
                    run["vectors"] += result["vectors"]
                    s = result["summary"]
                    bad = s["failed"] + s["xpass"] + s["errors"]
                if problem:
                    problems.append({
                        "runtime": runtime[0], "profile": profile,
                        "command": " ".join(shlex.quote(c) for c in cmd),
                        "problem": problem})
                    bad = max(bad, len(chunk))
                progress.advance(len(chunk), bad)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def load_coverage_module():
    """runtime_coverage.py: beside this script in the source tree, in
    $(pkgdatadir)/python once installed."""
    installed = installed_data_dir()
    sys.path.insert(0, os.path.join(installed, "python") if installed
                    else os.path.dirname(os.path.abspath(__file__)))
    import runtime_coverage
    return runtime_coverage


def coverage_runs(args, files, runs, problems, notes):
    """--coverage: each runtime on its own with its counters cleared, then
    its lcov file and HTML report, then the view by rule; a line for each
    into notes. Returns False when a report could not be made."""
    cov = load_coverage_module()
    ok = True
    for name, adapter in args.runtimes:
        folder = os.path.join(args.coverage, name)
        try:
            counters = cov.Counters(args.counters_of[name], adapter, folder)
            counters.clear()
            execute(args, files, [(name, adapter)], runs, problems,
                    counters.environment())
            text = counters.lcov()
            if text is None:
                raise cov.CoverageError("the run wrote no counters (is the "
                                        "runtime built for coverage?)")
            info = cov.keep_sources(text, args.coverage_include)
            if not info:
                raise cov.CoverageError(
                    "no source file matches --coverage-include %s" %
                    " ".join(args.coverage_include))
            path = os.path.join(folder, "coverage.info")
            with open(path, "w", encoding="utf-8") as f:
                f.write(info)
            index = cov.html(path, os.path.join(folder, "html"),
                             "canmem: %s under the vectors" % name)
            notes.append("coverage of %s: %s; %s, %s" % (
                name, cov.summary(info), path, index))
            if args.coverage_by_rule:
                notes.append(by_rule(args, cov, counters, name, adapter,
                                     folder))
        except (cov.CoverageError, OSError) as e:
            notes.append("coverage of %s: %s" % (name, e))
            ok = False
    return ok


def by_rule(args, cov, counters, name, adapter, folder):
    """For each rule that selected vectors check: counters cleared, only
    its vectors run, their records named after the rule; genhtml's
    detailed view then lists, per line, the rules that reached it. Returns
    the line for the summary."""
    parts = []
    rules = cov.rules_of(args.suite, args.coverage_by_rule)
    for number, rule in enumerate(rules, 1):
        files = list_vectors(args, ["--rule", rule])
        if not files:
            continue
        if not args.quiet:
            sys.stderr.write("driver: coverage of %s by rule: %s (%d of %d "
                             "rules)\n" % (name, rule, number, len(rules)))
        counters.clear()
        execute(args, files, [(name, adapter)], {}, [],
                counters.environment(), quiet=True)
        text = counters.lcov()
        if text:
            parts.append(cov.keep_sources(text, args.coverage_include,
                                          cov.safe_test_name(rule)))
    if not any(parts):
        raise cov.CoverageError("by rule: no rule's vectors reached %s" %
                                name)
    path = os.path.join(folder, "by-rule.info")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))
    index = cov.html(path, os.path.join(folder, "html-by-rule"),
                     "canmem: %s by rule" % name, details=True)
    return "coverage of %s by rule: %d rules, %s" % (
        name, sum(1 for p in parts if p), index)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    files = list_vectors(args)
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.monotonic()
    runs = {}
    problems = []
    coverage_ok = True
    notes = []
    if args.coverage:
        coverage_ok = coverage_runs(args, files, runs, problems, notes)
    else:
        execute(args, files, args.runtimes, runs, problems)

    ordered = []
    total = empty_summary()
    for runtime in args.runtimes:
        for profile in args.profile:
            run = runs.get((runtime[0], profile))
            if run is None:
                continue
            run["vectors"].sort(key=lambda v: v["id"])
            add_summary(total, run["summary"])
            ordered.append(run)
    document = {
        "schema": SCHEMA,
        "generated": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration_s": round(time.monotonic() - t0, 3),
        "canmem_run": args.canmem_run,
        "vector_count": len(files),
        "summary": total,
        "runs": ordered,
        "problems": problems,
    }
    if args.out:
        folder = os.path.dirname(args.out)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=1)
            f.write("\n")

    failing = False
    for run in ordered:
        s = run["summary"]
        print("%s (%s %s), profile %s: %d passed, %d failed, %d skipped, "
              "%d xfail, %d xpass, %d errors" % (
                  run["runtime"], run["runtime_name"],
                  run["runtime_version"], run["profile"], s["passed"],
                  s["failed"], s["skipped"], s["xfail"], s["xpass"],
                  s["errors"]))
        for v in run["vectors"]:
            if v["outcome"] in ("fail", "xpass", "error"):
                failing = True
                print("  %-5s %s\n        %s" % (v["outcome"], v["id"],
                                               v["reproduce"]))
    for p in problems:
        failing = True
        print("problem: %s, profile %s: %s\n  %s" % (
            p["runtime"], p["profile"], p["problem"], p["command"]))
    print("driver: %d vectors x %d runtimes x %d profiles in %.1f s%s" % (
        len(files), len(args.runtimes), len(args.profile),
        document["duration_s"],
        (", results in " + args.out) if args.out else ""))
    for note in notes:
        print(note)
    return 1 if failing or not coverage_ok else 0


if __name__ == "__main__":
    sys.exit(main())
