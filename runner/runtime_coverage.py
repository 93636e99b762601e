"""Coverage of a runtime under test, for canmem-driver --coverage
(docs/coverage.md): where a runtime's counters go while canmem-run
--coverage runs it, how they are cleared and read back as lcov records,
and the HTML reports. Standard library only; the tools are lcov and
genhtml, llvm-profdata and llvm-cov for llvm, and v8cov2lcov.py (beside
this file) for V8.

A runtime's counters are one of (canmem-driver --counters NAME=KIND):
  gcov:DIR       built with gcc --coverage: the .gcda files are written
                 beside the objects under DIR (their .gcno files there);
  llvm[:OBJECT]  built with clang -fprofile-instr-generate
                 -fcoverage-mapping (or rustc -C instrument-coverage): the
                 profile goes to LLVM_PROFILE_FILE, one merged pool (%m);
                 OBJECT is the instrumented binary (default: the adapter);
  v8             a Node host: NODE_V8_COVERAGE, one JSON file per process.
"""

import fnmatch
import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def tool(variable, name):
    return os.environ.get(variable) or name


class CoverageError(Exception):
    pass


def run_tool(cmd, stdout=None):
    """Runs cmd; its standard output as text when stdout is None."""
    try:
        done = subprocess.run(cmd, stdout=stdout or subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    except OSError as e:
        raise CoverageError("cannot run %s: %s" % (cmd[0], e))
    if done.returncode != 0:
        raise CoverageError("%s failed (exit %d): %s" % (
            " ".join(cmd[:3]), done.returncode, done.stderr.strip()[-1500:]))
    return done.stdout


class Counters:
    """One runtime's counters: kind, where they are written (folder is
    OUT/NAME, this runtime's part of the report folder)."""

    def __init__(self, spec, adapter, folder):
        kind, _, arg = spec.partition(":")
        self.kind, self.arg, self.adapter = kind, arg, adapter
        self.folder = folder
        self.raw = os.path.join(folder, "raw")
        if kind == "gcov":
            if not arg or not os.path.isdir(arg):
                raise CoverageError(
                    "gcov:DIR wants the folder of the runtime's objects "
                    "and .gcno files, not %r" % arg)
        elif kind == "llvm":
            self.arg = arg or adapter
            if not os.path.isfile(self.arg):
                raise CoverageError(
                    "llvm: no instrumented object %r (llvm:OBJECT names "
                    "it when it is not the adapter)" % self.arg)
        elif kind == "v8":
            if arg:
                raise CoverageError("v8 takes no argument, not %r" % arg)
        else:
            raise CoverageError("unknown kind of counters %r (gcov:DIR, "
                                "llvm[:OBJECT], v8)" % spec)

    def environment(self):
        """What canmem-run's children need to write the counters here."""
        if self.kind == "llvm":
            return {"LLVM_PROFILE_FILE":
                    os.path.join(self.raw, "%m.profraw")}
        if self.kind == "v8":
            return {"NODE_V8_COVERAGE": self.raw}
        return {}

    def clear(self):
        os.makedirs(self.raw, exist_ok=True)
        for name in os.listdir(self.raw):
            os.remove(os.path.join(self.raw, name))
        if self.kind == "gcov":
            for path in glob.glob(os.path.join(self.arg, "**", "*.gcda"),
                                  recursive=True):
                os.remove(path)

    def lcov(self):
        """The counters as lcov records (text), or None when the run
        wrote none (no vector reached the runtime)."""
        if self.kind == "gcov":
            if not glob.glob(os.path.join(self.arg, "**", "*.gcda"),
                             recursive=True):
                return None
            out = os.path.join(self.folder, "capture.info")
            run_tool([tool("LCOV", "lcov"), "--quiet", "--rc",
                      "lcov_branch_coverage=1", "--capture", "--directory",
                      self.arg, "--output-file", out])
            with open(out, encoding="utf-8", errors="replace") as f:
                return f.read()
        profiles = sorted(os.listdir(self.raw)) if os.path.isdir(
            self.raw) else []
        if self.kind == "llvm":
            profiles = [os.path.join(self.raw, p) for p in profiles
                        if p.endswith(".profraw")]
            if not profiles:
                return None
            merged = os.path.join(self.folder, "merged.profdata")
            run_tool([tool("LLVM_PROFDATA", "llvm-profdata"), "merge",
                      "-o", merged] + profiles)
            return run_tool([tool("LLVM_COV", "llvm-cov"), "export",
                             "-format=lcov", "-instr-profile", merged,
                             self.arg])
        if not any(p.endswith(".json") for p in profiles):
            return None
        return run_tool([sys.executable, os.path.join(HERE, "v8cov2lcov.py"),
                         self.raw])


def records(text):
    """lcov text as a list of records (each the lines from SF to
    end_of_record), test names dropped."""
    out, current = [], None
    for line in text.splitlines():
        if line.startswith("SF:"):
            current = [line]
        elif current is not None:
            current.append(line)
            if line == "end_of_record":
                out.append(current)
                current = None
    return out


def keep_sources(text, includes, test_name=""):
    """The records of the source files matching one of the globs (all when
    there are none), each under test_name."""
    kept = []
    for record in records(text):
        source = record[0][3:]
        if includes and not any(fnmatch.fnmatch(source, g)
                                for g in includes):
            continue
        kept.append("TN:%s\n%s\n" % (test_name, "\n".join(record)))
    return "".join(kept)


def summary(info):
    """'H of F lines (P%)' from the DA records of lcov text (lcov's own
    capture does not always write LF and LH)."""
    lines = {}
    source = None
    for line in info.splitlines():
        if line.startswith("SF:"):
            source = line[3:]
        elif line.startswith("DA:"):
            number, count = line[3:].split(",")[:2]
            key = (source, int(number))
            lines[key] = lines.get(key, 0) + int(count)
    found, hit = len(lines), sum(1 for c in lines.values() if c > 0)
    return "%d of %d lines (%.1f%%)" % (hit, found,
                                       100.0 * hit / found if found else 0)


def html(info_path, out_dir, title, details=False):
    cmd = [tool("GENHTML", "genhtml"), "--quiet", "--legend", "--title",
           title, "--output-directory", out_dir, info_path]
    cmd[1:1] = ["--show-details"] if details else ["--branch-coverage"]
    run_tool(cmd)
    return os.path.join(out_dir, "index.html")


def rules_of(suite, pattern):
    """The rule IDs of suite/rules.txt that match the glob."""
    ids = []
    with open(os.path.join(suite, "rules.txt"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"([A-Z][A-Z0-9-]*)  ", line)
            if m and fnmatch.fnmatchcase(m.group(1), pattern):
                ids.append(m.group(1))
    return ids


def safe_test_name(rule):
    return re.sub(r"[^A-Za-z0-9]", "_", rule)
