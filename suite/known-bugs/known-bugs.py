#!/usr/bin/env python3
"""canmem known-bug catalogue: real-world bugs of canister runtimes and of
the specification, each put back into a scratch copy of the reference
model, must each be caught by at least two vectors (docs/mutants.md).

    known-bugs.py check [NAME...]      every bug (or those named); exit 1
                                       unless each is caught by >= 2 of
                                       its vectors
    known-bugs.py discover NAME        which vectors of the whole suite
                                       catch the bug (to fill `vectors:`)

A bug is suite/known-bugs/NAME.bug: `key: value` lines (title, source,
vectors, optionally profiles), then one or more edits

    --- ref/canister/FILE.c
    <<<<
    text as it is in the model (must occur exactly once)
    ====
    the text with the bug
    >>>>

Run from the build tree (as `make known-bugs` does)."""
import argparse
import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "mutants"))
import mutants  # noqa: E402

MIN_CATCHES = 2


class Bug:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-len(".bug")]
        self.fields = {}
        self.edits = []  # (file, old, new)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        i = 0
        key = None
        while i < len(lines):
            line = lines[i]
            if line.startswith("--- "):
                rel = line[4:].strip()
                i += 1
                while i < len(lines) and lines[i] == "<<<<":
                    old, new = [], []
                    i += 1
                    while lines[i] != "====":
                        old.append(lines[i])
                        i += 1
                    i += 1
                    while lines[i] != ">>>>":
                        new.append(lines[i])
                        i += 1
                    i += 1
                    self.edits.append((rel, "\n".join(old), "\n".join(new)))
                continue
            m = re.match(r"([a-z]+):\s*(.*)", line)
            if m:
                key = m.group(1)
                self.fields[key] = m.group(2)
            elif line.startswith((" ", "\t")) and key:
                self.fields[key] += " " + line.strip()
            i += 1
        self.vectors = self.fields.get("vectors", "").split()
        self.profiles = self.fields.get("profiles", "").split()

    def changed_sources(self, srcdir):
        """file -> text with the bug; raises ValueError if an edit no
        longer applies (the model moved: update the .bug file)."""
        texts = {}
        for rel, old, new in self.edits:
            if rel not in texts:
                with open(os.path.join(srcdir, rel), encoding="utf-8") as f:
                    texts[rel] = f.read()
            count = texts[rel].count(old)
            if count != 1:
                raise ValueError("%s: the text to replace occurs %d times in %s"
                                 % (self.path, count, rel))
            texts[rel] = texts[rel].replace(old, new)
        return texts


def load_bugs(srcdir, names):
    paths = sorted(glob.glob(os.path.join(srcdir, "suite/known-bugs/*.bug")))
    bugs = [Bug(p) for p in paths]
    if names:
        bugs = [b for b in bugs if b.name in names]
        missing = set(names) - {b.name for b in bugs}
        if missing:
            raise SystemExit("known-bugs: no such bug: %s" % " ".join(sorted(missing)))
    return bugs


def model_readings(runner, vectors, profiles):
    """The reading each step of the vectors follows on the build's own
    canmem-run, by "profile vector step" (mutants.READING_LINE)."""
    readings = {}
    exe = os.path.join(runner.builddir, "runner/canmem-run")
    for profile in profiles:
        out = subprocess.run([exe, "--profile", profile, "--suite",
                              os.path.join(runner.srcdir, "suite"),
                              "--build-dir", runner.builddir] +
                             [os.path.join(runner.srcdir, v) for v in vectors],
                             cwd=runner.srcdir, capture_output=True, text=True).stdout
        for line in out.split("\n"):
            m = mutants.READING_LINE.match(line)
            if m:
                readings["%s %s %s" % (profile, m.group(1), m.group(2))] = m.group(3)
    return readings


def catches(runner, exe, vector, profiles, readings):
    """The profile under which the vector fails on exe, or follows another
    reading than the model does (the profile pins it), or None."""
    for profile in profiles:
        stop = mutants.stop_at_difference(profile, readings)
        if runner._canmem_run(exe, profile, [vector], stop):
            return profile
    return None


def cmd_check(args, srcdir):
    builder = mutants.Builder(args.builddir, srcdir)
    runner = mutants.Runner(args.builddir, srcdir, args.timeout)
    failed = 0
    for bug in load_bugs(srcdir, args.names):
        work = os.path.join(args.workdir, bug.name)
        try:
            exe, error = builder.build_files(bug.changed_sources(srcdir), work)
        except ValueError as e:
            exe, error = None, str(e)
        if exe is None:
            print("FAIL %s: does not build: %s" % (bug.name, error))
            failed += 1
            continue
        profiles = bug.profiles or runner.profiles
        readings = model_readings(runner, bug.vectors, profiles)
        caught = []
        for v in bug.vectors:
            if not os.path.exists(os.path.join(srcdir, v)):
                print("  %s: no such vector %s" % (bug.name, v))
                continue
            profile = catches(runner, exe, v, profiles, readings)
            if profile:
                caught.append("%s (%s)" % (v, profile))
        ok = len(caught) >= MIN_CATCHES
        failed += not ok
        print("%s %s: caught by %d of %d vectors: %s" % (
            "ok  " if ok else "FAIL", bug.name, len(caught), len(bug.vectors),
            ", ".join(caught) or "none"))
    print("known-bugs: %s" % ("%d not caught twice" % failed if failed else "every bug caught twice"))
    return 1 if failed else 0


def cmd_discover(args, srcdir):
    builder = mutants.Builder(args.builddir, srcdir)
    runner = mutants.Runner(args.builddir, srcdir, args.timeout)
    for bug in load_bugs(srcdir, args.names):
        exe, error = builder.build_files(bug.changed_sources(srcdir),
                                         os.path.join(args.workdir, bug.name))
        if exe is None:
            print("%s: does not build: %s" % (bug.name, error))
            continue
        found = {}
        for profile in bug.profiles or runner.profiles:
            for v in runner.failing(exe, profile, runner.vectors):
                found.setdefault(v, profile)
        print("%s: %d vectors" % (bug.name, len(found)))
        for v, p in found.items():
            print("  %s (%s)" % (v, p))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["check", "discover"])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--srcdir", default=os.path.dirname(os.path.dirname(HERE)))
    ap.add_argument("--builddir", default=os.getcwd())
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--timeout", type=int, default=20)
    args = ap.parse_intermixed_args()
    srcdir = os.path.abspath(args.srcdir)
    args.builddir = os.path.abspath(args.builddir)
    if args.workdir is None:
        args.workdir = os.path.join(args.builddir, "reports/known-bugs/work")
    return {"check": cmd_check, "discover": cmd_discover}[args.command](args, srcdir)


if __name__ == "__main__":
    sys.exit(main())
