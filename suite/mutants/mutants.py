#!/usr/bin/env python3
"""canmem mutation testing: how many single-point changes of the model do
the vectors notice? (docs/mutants.md)

Each mutant changes one point of one source file (ref/canister/*.c,
runner/compare.c). The tool compiles the changed copy in a scratch folder,
links a private canmem-run with it (the build's other objects unchanged),
and runs the vectors under every profile until one fails: the mutant is
then killed. A mutant that survives every vector is a gap in the suite,
unless suite/mutants/equivalent.txt says why no vector can see it.

    mutants.py run [--seed S] [--sample N] [-j J] [--results FILE]
    mutants.py report [--results FILE]
    mutants.py list [--seed S] [--sample N]
    mutants.py show ID

Run from the build tree; --srcdir names the source tree (default: the
folder above this script's folder)."""
import argparse
import glob
import hashlib
import json
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import threading
import traceback
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SRCDIR = os.path.dirname(os.path.dirname(HERE))
# Where mutants come from, as globs relative to the source tree: a file
# added to the model later is mutated without any change here.
TARGET_GLOBS = ["ref/canister/*.c", "runner/compare.c"]
# Not part of the model the vectors run: the benchmark program, and the
# loadable-module wrapper (the in-process runner does not link it).
EXCLUDED = {"ref/canister/bench_canister.c", "ref/canister/adapter_so.c"}
PROFILE_ORDER = ["ic-current", "small-limits", "alternative-readings",
                 "ic-2021", "ic-2022", "ic-2025", "ic-large-heaps"]
# Vectors that take seconds each run last: most mutants die earlier.
SLOW_PREFIXES = ["vectors/corpus/", "vectors/limits/inspect-instruction-limit",
                 "vectors/features/tail-call-instruction-limit"]
# Vectors whose expectations are wrong on purpose: every one must fail.
# A comparison that accepts wrong outcomes passes them (runner/compare.c).
MUST_FAIL_DIR = "runner/tests/vectors/wrong"

KEYWORDS = {"if", "while", "for", "switch", "return", "sizeof", "case",
            "do", "else", "goto", "break", "continue", "default"}


# ---------------------------------------------------------------- sources

def blank_comments_and_strings(text):
    """The text with comments, string and character literals replaced by
    spaces (same length, same newlines), so operators inside them are not
    mutated; preprocessor lines are blanked too."""
    out = list(text)
    i, n = 0, len(text)
    state = None
    while i < n:
        c = text[i]
        if state is None:
            if text.startswith("/*", i):
                state = "block"
                out[i] = out[i + 1] = " "
                i += 2
                continue
            if text.startswith("//", i):
                state = "line"
            elif c == '"':
                state = "str"
            elif c == "'":
                state = "chr"
            elif c == "#" and (i == 0 or text[i - 1] == "\n"):
                state = "pre"
            if state is not None and state != "pre":
                out[i] = " "
            elif state == "pre":
                out[i] = " "
            i += 1
            continue
        if state == "block":
            if text.startswith("*/", i):
                out[i] = out[i + 1] = " "
                state = None
                i += 2
                continue
        elif state in ("line", "pre"):
            if c == "\n":
                if state == "pre" and i > 0 and text[i - 1] == "\\":
                    i += 1
                    continue
                state = None
                i += 1
                continue
        elif state in ("str", "chr"):
            if c == "\\":
                out[i] = " "
                if i + 1 < n and text[i + 1] != "\n":
                    out[i + 1] = " "
                i += 2
                continue
            if (state == "str" and c == '"') or (state == "chr" and c == "'"):
                state = None
        if c != "\n":
            out[i] = " "
        i += 1
    return "".join(out)


def balanced(s):
    depth = 0
    for c in s:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def enclosing_function(code_lines, lineno):
    """(name, first line index) of the function around line lineno (0-based):
    the nearest line above at column 0 that opens a definition."""
    for i in range(lineno, -1, -1):
        line = code_lines[i]
        if line.startswith("}") and i != lineno:
            return None, None
        if line and (line[0].isalpha() or line[0] == "_") and "(" in line:
            m = re.search(r"(\w+)\s*\(", line)
            if m and m.group(1) not in KEYWORDS:
                return m.group(1), i
    return None, None


class Source:
    def __init__(self, srcdir, rel, rule_ids):
        self.rel = rel
        with open(os.path.join(srcdir, rel), encoding="utf-8") as f:
            self.text = f.read()
        self.lines = self.text.split("\n")
        self.code_lines = blank_comments_and_strings(self.text).split("\n")
        self.rule_ids = rule_ids

    def rule_of(self, lineno):
        """The nearest rule ID named in a comment of the enclosing function
        (above the line first, then below it), or in the comment just above
        the function; '?' when there is none."""
        name, start = enclosing_function(self.code_lines, lineno)
        if start is None:
            return "?"
        end = start
        while end < len(self.lines) and not self.lines[end].startswith("}"):
            end += 1
        head = start
        while head > 0 and self.lines[head - 1].strip() and \
                not self.lines[head - 1].startswith("}"):
            head -= 1
        order = list(range(lineno, head - 1, -1)) + list(range(lineno + 1, end + 1))
        for i in order:
            comment = self.lines[i][len(self.code_lines[i].rstrip()):] \
                if i < len(self.code_lines) else self.lines[i]
            if self.code_lines[i].strip() == "":
                comment = self.lines[i]
            for m in re.finditer(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b", comment):
                if m.group(0) in self.rule_ids:
                    return m.group(0)
        return "?"


# -------------------------------------------------------------- operators

REL_SWAP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
ARITH_SWAP = {"+": "-", "-": "+", "*": "/", "/": "*", "%": "*"}
LOGIC_SWAP = {"&&": "||", "||": "&&"}
RETURN_SWAP = {"true": "false", "false": "true", "NULL": "(void *)1"}

TOKEN = re.compile(r"0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*|"
                   r"->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||"
                   r"[-+*/%&|^]=|[-+*/%<>=!~&|^?:;,.(){}\[\]]")


def tokens(code):
    return [(m.start(), m.group(0)) for m in TOKEN.finditer(code)]


def operand_end(tok):
    return tok[0].isalnum() or tok[0] == "_" or tok in (")", "]")


def mutations_of_line(code, text):
    """Every (operator, column, old, new) for one line: code has comments
    and strings blanked out, text is the real line."""
    toks = tokens(code)
    found = []
    stripped = code.strip()
    for k, (col, tok) in enumerate(toks):
        prev = toks[k - 1][1] if k > 0 else None
        nxt = toks[k + 1][1] if k + 1 < len(toks) else None
        if tok in REL_SWAP:
            found.append(("rel", col, tok, REL_SWAP[tok]))
        elif tok in LOGIC_SWAP:
            found.append(("logic", col, tok, LOGIC_SWAP[tok]))
        elif tok in ARITH_SWAP and prev is not None and operand_end(prev) \
                and prev not in KEYWORDS and nxt not in (None, ";", ")"):
            # binary only: `*p`, `-1`, `x++` are left alone; a `*` after a
            # type name (a declaration) is rare in expressions of interest
            # and fails to compile (the mutant is then stillborn)
            found.append(("arith", col, tok, ARITH_SWAP[tok]))
        elif re.fullmatch(r"0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*", tok):
            if prev in ("[",) and nxt == "]" and stripped.endswith(";") and \
                    "=" not in code:
                continue  # an array's size in a declaration
            m = re.fullmatch(r"(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)", tok)
            value = int(m.group(1), 0)
            found.append(("const+1", col, tok, "%d%s" % (value + 1, m.group(2))))
            if value > 0:
                found.append(("const-1", col, tok, "%d%s" % (value - 1, m.group(2))))
    # negated condition: `if (...)` / `while (...)` whose parentheses
    # close on this line
    m = re.match(r"(\s*(?:\}\s*else\s+)?(?:if|while)\s*)\(", code)
    if m:
        open_at = m.end() - 1
        depth = 0
        for i in range(open_at, len(code)):
            if code[i] == "(":
                depth += 1
            elif code[i] == ")":
                depth -= 1
                if depth == 0:
                    inner = text[open_at + 1:i]
                    found.append(("negate", open_at, "(" + inner + ")",
                                  "(!(" + inner + "))"))
                    break
    # deleted statement: a call or an assignment alone on its line
    if stripped.endswith(";") and balanced(stripped) and \
            not stripped.startswith(("return", "break", "continue", "goto",
                                     "case", "default", "}", "else")):
        first = re.match(r"[A-Za-z_]\w*", stripped)
        if first and first.group(0) not in KEYWORDS:
            if re.match(r"[A-Za-z_]\w*\s*\(", stripped):
                found.append(("delete-call", len(code) - len(code.lstrip()),
                              text.strip(), ";"))
            elif re.match(r"[\w.\->\[\]]+\s*([-+*/|&^]|<<|>>)?=[^=]", stripped):
                found.append(("delete-assign", len(code) - len(code.lstrip()),
                              text.strip(), ";"))
        elif stripped.startswith("*") and re.match(r"\*[\w.\->\[\]]+\s*=[^=]", stripped):
            found.append(("delete-assign", len(code) - len(code.lstrip()),
                          text.strip(), ";"))
    # replaced return value
    m = re.search(r"\breturn\s+([^;]+);", code)
    if m:
        value = text[m.start(1):m.end(1)].strip()
        if value in RETURN_SWAP:
            new = RETURN_SWAP[value]
        elif re.fullmatch(r"\d+[uUlL]*", value):
            new = "1" if int(re.match(r"\d+", value).group(0)) == 0 else "0"
        elif re.fullmatch(r"-\d+", value):
            new = "0"
        else:
            new = "0"
        found.append(("return", m.start(1), value, new))
    return found


def normalise(line):
    return " ".join(line.split())


class Mutant:
    def __init__(self, src, lineno, op, col, old, new, occurrence):
        self.file = src.rel
        self.line = lineno + 1
        self.op = op
        self.col = col
        self.old = old
        self.new = new
        code = src.code_lines[lineno]
        self.function = enclosing_function(src.code_lines, lineno)[0] or "?"
        self.text = normalise(src.lines[lineno])
        # Stable across unrelated edits: no line number, only where in which
        # function, the line's text and which of its points.
        key = "\0".join([self.file, self.function, self.text, op, old, new,
                         str(occurrence)])
        self.id = hashlib.sha1(key.encode()).hexdigest()[:12]
        self.rule = src.rule_of(lineno)
        del code

    def describe(self):
        return "%s:%d %s: %s -> %s" % (self.file, self.line, self.op,
                                       self.old, self.new)

    def apply(self, src_lines):
        lines = list(src_lines)
        i = self.line - 1
        line = lines[i]
        if self.op in ("delete-call", "delete-assign"):
            indent = line[:len(line) - len(line.lstrip())]
            lines[i] = indent + ";"
        else:
            assert line[self.col:self.col + len(self.old)] == self.old, \
                (self.id, line, self.col, self.old)
            lines[i] = line[:self.col] + self.new + line[self.col + len(self.old):]
        return "\n".join(lines)


def load_rule_ids(srcdir):
    ids = set()
    with open(os.path.join(srcdir, "suite/rules.txt"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s", line)
            if m:
                ids.add(m.group(1))
    return ids


def target_files(srcdir):
    files = []
    for g in TARGET_GLOBS:
        for path in sorted(glob.glob(os.path.join(srcdir, g))):
            rel = os.path.relpath(path, srcdir)
            if rel not in EXCLUDED:
                files.append(rel)
    return files


def all_mutants(srcdir):
    rule_ids = load_rule_ids(srcdir)
    sources, mutants = {}, []
    for rel in target_files(srcdir):
        src = Source(srcdir, rel, rule_ids)
        sources[rel] = src
        # Functions outside any function body (tables, declarations) are
        # left alone: constants in tables are data, not logic.
        for i, code in enumerate(src.code_lines):
            if not code.strip() or enclosing_function(src.code_lines, i)[0] is None:
                continue
            if code.startswith((" ", "\t")) is False:
                continue  # a function's own header line
            seen = {}
            for op, col, old, new in mutations_of_line(code, src.lines[i]):
                key = (op, old, new)
                seen[key] = seen.get(key, 0) + 1
                mutants.append(Mutant(src, i, op, col, old, new, seen[key]))
    # The same text at the same place twice in one function (a repeated
    # statement): the later ones get -2, -3... (the first keeps its ID, so
    # the sample and results are as before)
    count = {}
    for m in mutants:
        count[m.id] = count.get(m.id, 0) + 1
        if count[m.id] > 1:
            m.id = "%s-%d" % (m.id, count[m.id])
    return sources, mutants


def sample(mutants, seed, size):
    ordered = sorted(mutants, key=lambda m: m.id)
    if size <= 0 or size >= len(ordered):
        return ordered
    rng = random.Random(seed)
    return rng.sample(ordered, size)


def load_equivalent(srcdir):
    """id -> reason, from suite/mutants/equivalent.txt."""
    table = {}
    path = os.path.join(srcdir, "suite/mutants/equivalent.txt")
    if not os.path.exists(path):
        return table
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split(None, 1)
            reason = fields[1].split("|")[-1].strip() if len(fields) > 1 else ""
            table[fields[0]] = reason
    return table


# ------------------------------------------------------------- building

class Builder:
    """Compiles one changed source file as the build does, and links a
    private canmem-run with it in front of the build's libraries (the
    archive member of the same file is then never pulled in)."""

    def __init__(self, builddir, srcdir):
        self.builddir = builddir
        self.srcdir = srcdir
        self.compile_cmd = {}
        self.link_cmd = None
        self.unchanged_objects = {}  # (work folder, file) -> object bytes

    def _dry_run(self, src, target):
        """What make would run for target if src had changed: the one place
        that knows the build's flags (a VPATH build names src through
        $(srcdir), an in-tree build by its bare path)."""
        out = ""
        for name in (os.path.relpath(src, self.builddir),
                     os.path.relpath(src, self.srcdir)):
            out = subprocess.run(["make", "-n", "-W", name, target],
                                 cwd=self.builddir, capture_output=True,
                                 text=True).stdout
            if "--mode=" in out:
                break
        return out

    def compile_command(self, rel):
        if rel in self.compile_cmd:
            return self.compile_cmd[rel]
        base = os.path.splitext(os.path.basename(rel))[0]
        folder = os.path.dirname(rel)
        lib = {"ref/canister": "libcmcanister_la", "runner": "libcmrunner_la"}[folder]
        target = "%s/%s-%s.lo" % (folder, lib, base)
        out = self._dry_run(os.path.join(self.srcdir, rel), target)
        m = re.search(r"--mode=compile (.*?) -MT .*", out)
        if not m:
            raise SystemExit("mutants: cannot find how %s is compiled" % rel)
        argv = shlex.split(m.group(1))
        # -I. and -I./x are relative to the build tree
        argv = [("-I" + os.path.join(self.builddir, a[2:]))
                if a.startswith("-I") and not os.path.isabs(a[2:]) else a
                for a in argv]
        # no debug information: faster, and nobody debugs a mutant
        self.compile_cmd[rel] = [a for a in argv if a != "-g"] + ["-w"]
        return self.compile_cmd[rel]

    def link_command(self):
        if self.link_cmd is None:
            out = self._dry_run(os.path.join(self.srcdir, "runner/main.c"),
                                "runner/canmem-run")
            m = re.search(r"(\S*libtool\S*.*--mode=link .*-o runner/canmem-run .*)", out)
            if not m:
                raise SystemExit("mutants: cannot find how canmem-run is linked")
            self.link_cmd = shlex.split(m.group(1))
        return self.link_cmd

    def build(self, mutant, sources, work):
        return self.build_files({mutant.file: mutant.apply(sources[mutant.file].lines)},
                                work)

    def same_object(self, mutant, sources, work):
        """Whether the mutant compiles to the very object code of the
        unchanged file (a line the build's defines leave out, or a change
        the compiler folds away): then no program can tell them apart.
        Both are compiled from the same path, so only the change differs."""
        os.makedirs(work, exist_ok=True)
        copy = os.path.join(work, os.path.basename(mutant.file))
        cmd = self.compile_command(mutant.file) + [
            "-I" + os.path.join(self.srcdir, os.path.dirname(mutant.file)), "-c"]

        def compiled(text, obj):
            with open(copy, "w", encoding="utf-8") as f:
                f.write(text)
            r = subprocess.run(cmd + ["-o", obj, copy], cwd=self.builddir,
                               capture_output=True)
            if r.returncode != 0:
                return None
            with open(obj, "rb") as f:
                return f.read()
        lines = sources[mutant.file].lines
        key = (work, mutant.file)
        if key not in self.unchanged_objects:
            self.unchanged_objects[key] = compiled("\n".join(lines),
                                                   os.path.join(work, "unchanged.o"))
        mutated = compiled(mutant.apply(lines), os.path.join(work, "mutated.o"))
        return mutated is not None and mutated == self.unchanged_objects[key]

    def build_files(self, changed, work, extra=()):
        """A canmem-run in work with the files of `changed` (path relative to
        the source tree -> new text) in place of the build's: (path, "") or
        (None, the compiler's complaint)."""
        os.makedirs(work, exist_ok=True)
        objs = []
        for n, (rel, text) in enumerate(sorted(changed.items())):
            copy = os.path.join(work, os.path.basename(rel))
            with open(copy, "w", encoding="utf-8") as f:
                f.write(text)
            obj = os.path.join(work, "changed%d.o" % n)
            cmd = self.compile_command(rel) + [
                "-I" + os.path.join(self.srcdir, os.path.dirname(rel)),
                "-c", "-o", obj, copy] + list(extra)
            r = subprocess.run(cmd, cwd=self.builddir, capture_output=True, text=True)
            if r.returncode != 0:
                return None, first_error(r.stderr)
            objs.append(obj)
        exe = os.path.join(work, "canmem-run")
        link = []
        for a in self.link_command():
            if a == "runner/canmem-run":
                link.append(exe)
            elif a.endswith(".la") and objs[0] not in link:
                link += objs + [a]
            else:
                link.append(a)
        link += list(extra)
        r = subprocess.run(link, cwd=self.builddir, capture_output=True, text=True)
        if r.returncode != 0:
            return None, first_error(r.stderr)
        return exe, ""


def first_error(stderr):
    for line in stderr.split("\n"):
        if "error" in line:
            return line.strip()[:300]
    return stderr.strip()[-300:]


# -------------------------------------------------------------- running

class Runner:
    def __init__(self, builddir, srcdir, timeout):
        self.builddir = builddir
        self.srcdir = srcdir
        self.timeout = timeout
        files = sorted(os.path.relpath(p, srcdir) for p in
                       glob.glob(os.path.join(srcdir, "vectors/**/*.wast"), recursive=True)
                       if "/node_modules/" not in p and "/toolchain/" not in p)
        fast = [f for f in files if not f.startswith(tuple(SLOW_PREFIXES))]
        slow = [f for f in files if f.startswith(tuple(SLOW_PREFIXES))]
        self.vectors = fast + slow
        profiles = [os.path.basename(p)[:-len(".profile")] for p in
                    sorted(glob.glob(os.path.join(srcdir, "suite/profiles/*.profile")))]
        self.profiles = [p for p in PROFILE_ORDER if p in profiles] + \
            [p for p in profiles if p not in PROFILE_ORDER]
        self.must_fail = sorted(os.path.relpath(p, srcdir) for p in
                                glob.glob(os.path.join(srcdir, MUST_FAIL_DIR, "*.wast")))

    def _canmem_run(self, exe, profile, paths, stop_on):
        """Runs the vectors; returns the first TAP line that matches
        stop_on (the run is then stopped), or None. A runner that exits
        without a verdict for every vector counts as a match."""
        cmd = ["nice", "-n", "19", exe, "--profile", profile,
               "--suite", os.path.join(self.srcdir, "suite"),
               "--build-dir", self.builddir, "--timeout", str(self.timeout)] + \
            [os.path.join(self.srcdir, p) for p in paths]
        # a mutant may print any bytes (a message it never wrote, say)
        p = subprocess.Popen(cmd, cwd=self.srcdir, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True,
                             errors="replace", start_new_session=True)
        verdicts = 0
        hit = None
        for line in p.stdout:
            if re.match(r"(not )?ok \d+", line):
                verdicts += 1
            said = stop_on(line)
            if said:
                hit = said if isinstance(said, str) else line.strip()
                break
        else:
            # the end of the run: a check that waits for the last vector
            try:
                said = stop_on(None)
            except (TypeError, AttributeError):
                said = None
            if said:
                hit = said
        if hit:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        p.stdout.close()
        status = p.wait()
        if hit is None and verdicts < len(paths):
            hit = "the runner stopped after %d of %d vectors (status %d)" % (
                verdicts, len(paths), status)
        return hit

    def failing(self, exe, profile, paths):
        """Every vector of paths that fails on exe under the profile."""
        cmd = [exe, "--profile", profile, "--suite", os.path.join(self.srcdir, "suite"),
               "--build-dir", self.builddir, "--timeout", str(self.timeout)] + \
            [os.path.join(self.srcdir, p) for p in paths]
        out = subprocess.run(cmd, cwd=self.srcdir, capture_output=True,
                             text=True, errors="replace").stdout
        return [vector_of(line) for line in out.split("\n") if line.startswith("not ok")]

    def killer(self, exe, mutant, first, vectors=None, readings=None):
        """(profile, TAP line) of the first vector that tells the mutant
        apart from the model, or None. `first`: a vector to try first;
        `vectors`: those to run (default all); `readings`: the reading each
        step follows on the model, by "profile vector step"."""
        readings = readings or {}

        def fails(profile):
            return stop_at_difference(profile, readings)
        vectors = self.vectors if vectors is None else \
            [v for v in self.vectors if v in set(vectors)]
        if first and first in vectors:
            for profile in self.profiles:
                hit = self._canmem_run(exe, profile, [first], fails(profile))
                if hit:
                    return profile, hit
        if self.must_fail and mutant.file.startswith("runner/"):
            hit = self._canmem_run(exe, "ic-current", self.must_fail,
                                   lambda line: line.startswith("ok"))
            if hit:
                return "ic-current", "a wrong expectation passed: " + hit
        for profile in self.profiles:
            if not vectors:
                break
            hit = self._canmem_run(exe, profile, vectors, fails(profile))
            if hit:
                return profile, hit
        return None


READING_LINE = re.compile(r"# (\S+): step (\d+) follows the reading '([^']*)'")


class Baseline:
    """What the unmutated model does, found once per version of the
    sources (cached in the work folder): for every vector, the lines of
    each target file it runs under some profile (gcov, a canmem-run built
    with --coverage, one vector at a time), and under every profile the
    reading each step follows. A mutant is run only against the vectors
    that reach its line (no other can notice it); one on a line that no
    vector runs survives unbuilt. A step that follows another reading
    than the model does under the same profile kills a mutant: the
    profile names the reading the model must follow."""

    def __init__(self, builder, runner, sources, workdir):
        cache = os.path.join(workdir, "baseline.json")
        # Keyed by the sources and profiles: a vector added or changed
        # since is treated as new (it runs against every mutant, and no
        # reading of it is pinned: its steps may have moved).
        key = hashlib.sha1("".join(sources[f].text for f in sorted(sources)).encode() +
                           "".join(runner.profiles).encode()).hexdigest()
        self.all_vectors = runner.vectors + runner.must_fail
        self.digests = {v: file_digest(os.path.join(runner.srcdir, v))
                        for v in self.all_vectors}
        if os.path.exists(cache):
            with open(cache, encoding="utf-8") as f:
                saved = json.load(f)
            if saved.get("key") == key and isinstance(saved.get("vectors"), dict):
                self._load(saved)
                return
        work = os.path.join(workdir, "coverage")
        exe, error = builder.build_files({f: sources[f].text for f in sources}, work,
                                         extra=["--coverage", "-O0"])
        if exe is None:
            raise SystemExit("mutants: the coverage build failed: " + error)
        print("mutants: running every vector once under every profile with "
              "coverage", flush=True)
        reach = {}      # "file:line" -> [vectors]
        readings = {}   # "profile vector step" -> reading
        all_lines = {}  # file -> lines gcov knows
        for v in runner.vectors + runner.must_fail:
            for old in glob.glob(os.path.join(work, "*.gcda")):
                os.remove(old)
            for profile in (runner.profiles if v in runner.vectors else ["ic-current"]):
                r = subprocess.run(["nice", "-n", "19", exe, "--coverage", "--profile", profile,
                                    "--suite", os.path.join(runner.srcdir, "suite"),
                                    "--build-dir", runner.builddir, "--timeout", "120",
                                    os.path.join(runner.srcdir, v)],
                                   cwd=runner.srcdir, capture_output=True, text=True,
                                   errors="replace")
                for line in r.stdout.split("\n"):
                    m = READING_LINE.match(line)
                    if m:
                        readings["%s %s %s" % (profile, m.group(1), m.group(2))] = m.group(3)
            for rel, counts in gcov_counts(work, sources).items():
                known = all_lines.setdefault(rel, set())
                for line, count in counts.items():
                    known.add(line)
                    if count:
                        reach.setdefault("%s:%d" % (rel, line), []).append(v)
        saved = {"key": key, "reach": reach, "readings": readings,
                 "known": {f: sorted(v) for f, v in all_lines.items()},
                 "vectors": self.digests}
        with open(cache, "w", encoding="utf-8") as f:
            json.dump(saved, f)
        self._load(saved)

    def _load(self, saved):
        self.new_vectors = [v for v in self.all_vectors
                            if saved["vectors"].get(v) != self.digests[v]]
        # vector ids ("area/name") of the new ones: their readings may have moved
        new = {os.path.splitext(v)[0].split("vectors/", 1)[-1] for v in self.new_vectors}
        self.reach = saved["reach"]
        self.readings = {k: r for k, r in saved["readings"].items()
                         if k.split(" ")[1] not in new}
        self.known = {f: set(v) for f, v in saved["known"].items()}

    def vectors_for(self, mutant):
        """The vectors that run the mutant's line ([] for none); None when
        gcov has no record of the line (a continuation line): all of them."""
        if mutant.line not in self.known.get(mutant.file, ()):
            return None
        return self.reach.get("%s:%d" % (mutant.file, mutant.line), []) + self.new_vectors


def file_digest(path):
    with open(path, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()


def gcov_counts(work, sources):
    """file -> {line: count} from the counters in work."""
    counts = {}
    names = {os.path.basename(f): f for f in sources}
    objs = [os.path.join(work, "changed%d.o" % n) for n in range(len(sources))]
    r = subprocess.run(["gcov", "--json-format", "--stdout"] + objs, cwd=work,
                       capture_output=True, text=True)
    for doc in r.stdout.split("\n"):
        if not doc.strip():
            continue
        for fdata in json.loads(doc).get("files", []):
            rel = names.get(os.path.basename(fdata["file"]))
            if rel is None:
                continue
            mine = counts.setdefault(rel, {})
            for l in fdata["lines"]:
                mine[l["line_number"]] = mine.get(l["line_number"], 0) + l["count"]
    return counts


def stop_at_difference(profile, readings):
    """A stop_on for Runner._canmem_run: true at a failing vector, and at
    a step that follows another reading than the model did, or names
    none where the model named one (readings: "profile vector step" ->
    reading)."""
    # the readings the model follows under this profile, by vector
    want = {}
    for key, reading in readings.items():
        p, vid, step = key.split(" ")
        if p == profile:
            want.setdefault(vid, {})[step] = reading
    state = {"vector": None, "seen": {}}

    def missing():
        # a step of the last vector that no longer names its reading
        vid = state["vector"]
        for step, reading in sorted(want.get(vid, {}).items()):
            if state["seen"].get(step) != reading:
                return "# %s: step %s follows no reading where the model follows '%s'" % (
                    vid, step, reading)
        return None

    def stop(line):
        if line is None:
            return missing()
        verdict = re.match(r"(not )?ok \d+ - (\S+?):", line)
        if verdict:
            gone = missing()
            if gone:
                return gone
            state["vector"], state["seen"] = verdict.group(2), {}
            return bool(verdict.group(1))
        m = READING_LINE.match(line)
        if not m:
            return False
        state["seen"][m.group(2)] = m.group(3)
        return want.get(m.group(1), {}).get(m.group(2), m.group(3)) != m.group(3)
    return stop


def vector_of(tap_line):
    m = re.match(r"not ok \d+ - (\S+?):", tap_line) or \
        re.match(r"# (\S+): step", tap_line)
    if m:
        return "vectors/" + m.group(1) + ".wast"
    return None


def cmd_run(args, srcdir):
    sources, mutants = all_mutants(srcdir)
    chosen = sample(mutants, args.seed, args.sample)
    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    done = {}
    if os.path.exists(args.results):
        with open(args.results, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    done[r["id"]] = r
    survivors = set()
    if args.retry_survivors:
        # after new vectors: run the survivors again (later lines win)
        survivors = {k for k, r in done.items() if r["status"] == "survived"}
        done = {k: r for k, r in done.items() if k not in survivors}
    todo = [m for m in chosen if m.id not in done]
    if args.only_vectors:
        # a subset of the vectors decides nothing about a mutant not run yet
        todo = [m for m in todo if m.id in survivors]
    if args.ids:
        todo = [m for m in todo if m.id in set(args.ids)]
    print("mutants: %d of %d points sampled (seed %s), %d already done, %d to run"
          % (len(chosen), len(mutants), args.seed, len(chosen) - len(todo), len(todo)),
          flush=True)
    builder = Builder(args.builddir, srcdir)
    runner = Runner(args.builddir, srcdir, args.timeout)
    if args.profile:
        runner.profiles = [p for p in runner.profiles if p in args.profile]
    # the vector that killed the last mutant of each file is tried first
    last_killer = {}
    for r in done.values():
        if r.get("vector"):
            last_killer[r["file"]] = r["vector"]
    lock = threading.Lock()
    queue = list(todo)
    deadline = time.time() + args.budget if args.budget else None
    out = open(args.results, "a", encoding="utf-8")

    failures = []

    def work(slot):
        try:
            work_on(slot)
        except Exception as e:  # the other workers go on; the run then fails
            with lock:
                failures.append("%s: %s" % (type(e).__name__, e))
                traceback.print_exc()

    def work_on(slot):
        scratch = os.path.join(args.workdir, "w%d" % slot)
        while True:
            with lock:
                if not queue or (deadline and time.time() > deadline):
                    return
                m = queue.pop(0)
                first = last_killer.get(m.file)
            t0 = time.time()
            same = builder.same_object(m, sources, scratch)
            exe, error = (None, "") if same else builder.build(m, sources, scratch)
            t1 = time.time()
            record = {"id": m.id, "file": m.file, "line": m.line,
                      "function": m.function, "op": m.op, "old": m.old,
                      "new": m.new, "rule": m.rule, "text": m.text}
            if same:
                record.update(status="identical")
            elif exe is None:
                record.update(status="stillborn", reason=error)
            else:
                hit = runner.killer(exe, m, first,
                                    baseline.vectors_for(m) if baseline else None,
                                    baseline.readings if baseline else None)
                if hit:
                    record.update(status="killed", profile=hit[0], by=hit[1][:300],
                                  vector=vector_of(hit[1]))
                else:
                    record.update(status="survived")
            record["build_s"] = round(t1 - t0, 2)
            record["run_s"] = round(time.time() - t1, 2)
            with lock:
                if record.get("vector"):
                    last_killer[m.file] = record["vector"]
                out.write(json.dumps(record) + "\n")
                out.flush()
                print("%-9s %s  %s  (%.1f s)" % (record["status"], m.id, m.describe(),
                                                 record["build_s"] + record["run_s"]),
                      flush=True)

    # found once, before the threads (whose exceptions would pass unseen)
    for f in {m.file for m in todo}:
        builder.compile_command(f)
    builder.link_command()
    baseline = None
    if args.only_vectors:
        wanted = {os.path.relpath(os.path.abspath(v), srcdir) for v in args.only_vectors}
        runner.vectors = [v for v in runner.vectors if v in wanted]
        runner.must_fail = [v for v in runner.must_fail if v in wanted]
    elif todo and not args.no_coverage:
        baseline = Baseline(builder, runner, sources, args.workdir)
        rest = []
        for m in todo:
            if baseline.vectors_for(m) == []:
                record = {"id": m.id, "file": m.file, "line": m.line,
                          "function": m.function, "op": m.op, "old": m.old,
                          "new": m.new, "rule": m.rule, "text": m.text,
                          "status": "survived", "unexecuted": True,
                          "build_s": 0, "run_s": 0}
                out.write(json.dumps(record) + "\n")
            else:
                rest.append(m)
        out.flush()
        print("mutants: %d mutants on lines no vector runs survive unbuilt"
              % (len(todo) - len(rest)), flush=True)
        queue[:] = rest
    threads = [threading.Thread(target=work, args=(i,)) for i in range(args.jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()
    status = cmd_report(args, srcdir, chosen)
    if failures:
        print("mutants: %d worker(s) stopped (%s); the results so far are kept: "
              "run again to resume" % (len(failures), "; ".join(failures)))
        return 2
    return status


def cmd_report(args, srcdir, chosen=None):
    if chosen is None:
        chosen = sample(all_mutants(srcdir)[1], args.seed, args.sample)
    ids = {m.id for m in chosen}
    current = {m.id: m for m in chosen}
    results = {}
    if os.path.exists(args.results):
        with open(args.results, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    if r["id"] in ids:
                        results[r["id"]] = r
    equivalent = load_equivalent(srcdir)
    by_file = {}
    survivors = []
    totals = dict(killed=0, survived=0, equivalent=0, stillborn=0, pending=0)
    cost = []
    for m in chosen:
        r = results.get(m.id)
        row = by_file.setdefault(m.file, dict(killed=0, survived=0, equivalent=0,
                                              stillborn=0, pending=0))
        if r is None:
            status = "pending"
        elif r["status"] == "survived" and m.id in equivalent or \
                r["status"] == "identical":
            status = "equivalent"
        else:
            status = r["status"]
        if r is not None and r["status"] != "stillborn":
            cost.append(r["build_s"] + r["run_s"])
        row[status] += 1
        totals[status] += 1
        if status == "survived":
            survivors.append((m, r.get("unexecuted", False)))
    lines = ["mutants: seed %s, %d sampled, results in %s" % (args.seed, len(chosen), args.results),
             "%-32s %6s %6s %6s %6s %6s %7s" % ("file", "killed", "surv", "equiv",
                                                "still", "todo", "score")]

    def score(row):
        scored = row["killed"] + row["survived"]
        return "%6.1f%%" % (100.0 * row["killed"] / scored) if scored else "     -"
    for f in sorted(by_file):
        row = by_file[f]
        lines.append("%-32s %6d %6d %6d %6d %6d %s" % (f, row["killed"], row["survived"],
                                                       row["equivalent"], row["stillborn"],
                                                       row["pending"], score(row)))
    lines.append("%-32s %6d %6d %6d %6d %6d %s" % ("total", totals["killed"], totals["survived"],
                                                   totals["equivalent"], totals["stillborn"],
                                                   totals["pending"], score(totals)))
    if cost:
        cost.sort()
        lines.append("cost per mutant (build + run): median %.1f s, mean %.1f s, max %.1f s"
                     % (cost[len(cost) // 2], sum(cost) / len(cost), cost[-1]))
    if survivors:
        lines.append("survivors (file:line function: mutation [rule] id):")
        lines.append("(* on a line that no vector runs)")
        for m, unexecuted in sorted(survivors, key=lambda s: (s[0].file, s[0].line)):
            lines.append("  %s:%d %s: %s %r -> %r [%s] %s%s" % (
                m.file, m.line, m.function, m.op, m.old, m.new, m.rule, m.id,
                " *" if unexecuted else ""))
    print("\n".join(lines))
    if args.min_score is not None:
        scored = totals["killed"] + totals["survived"]
        if totals["pending"] or not scored or \
                100.0 * totals["killed"] / scored < args.min_score:
            print("mutants: FAIL (score below %s%% or mutants not run)" % args.min_score)
            return 1
    return 0


def cmd_list(args, srcdir):
    _, mutants = all_mutants(srcdir)
    for m in sample(mutants, args.seed, args.sample):
        print("%s %s [%s] %s" % (m.id, m.describe(), m.rule, m.function))
    return 0


def cmd_show(args, srcdir):
    sources, mutants = all_mutants(srcdir)
    for m in mutants:
        if m.id == args.id:
            print("%s  %s  in %s  [%s]" % (m.id, m.describe(), m.function, m.rule))
            before = sources[m.file].lines
            after = m.apply(before).split("\n")
            i = m.line - 1
            print("- " + before[i])
            print("+ " + after[i])
            return 0
    print("mutants: no mutant %s" % args.id, file=sys.stderr)
    return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["run", "report", "list", "show"])
    ap.add_argument("id", nargs="?")
    ap.add_argument("--srcdir", default=DEFAULT_SRCDIR)
    ap.add_argument("--builddir", default=os.getcwd())
    ap.add_argument("--seed", default="17")
    ap.add_argument("--sample", type=int, default=400, help="0: every mutant")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--results", default=None)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--timeout", type=int, default=20, help="per vector, seconds")
    ap.add_argument("--budget", type=int, default=0,
                    help="start no mutant after this many seconds (0: no limit)")
    ap.add_argument("--profile", action="append", default=None,
                    help="only this profile (repeatable; default every one)")
    ap.add_argument("--no-coverage", action="store_true",
                    help="build and run every mutant, even on lines no vector runs")
    ap.add_argument("--retry-survivors", action="store_true",
                    help="run again the mutants that survived before")
    ap.add_argument("--only-vectors", nargs="+", default=None, metavar="PATH",
                    help="run only these vectors (no coverage pass): with "
                    "--retry-survivors, the vectors added since the survivors ran")
    ap.add_argument("--ids", nargs="+", default=None, metavar="ID",
                    help="run only these of the sampled mutants")
    ap.add_argument("--min-score", type=float, default=None,
                    help="fail unless every sampled mutant ran and this many %% were killed")
    args = ap.parse_args()
    srcdir = os.path.abspath(args.srcdir)
    args.builddir = os.path.abspath(args.builddir)
    if args.results is None:
        args.results = os.path.join(args.builddir, "reports/mutants/results-%s.jsonl" % args.seed)
    if args.workdir is None:
        args.workdir = os.path.join(args.builddir, "reports/mutants/work")
    args.workdir = os.path.abspath(args.workdir)
    args.results = os.path.abspath(args.results)
    return {"run": cmd_run, "report": cmd_report, "list": cmd_list,
            "show": cmd_show}[args.command](args, srcdir)


if __name__ == "__main__":
    sys.exit(main())
