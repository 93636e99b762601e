#!/usr/bin/env python3
"""Tests of runner/v8cov2lcov.py (V8's block coverage to lcov lines) on
hand-written coverage files: nested ranges, comments, sums over processes,
--keep and --test-name, and the errors. Runs from the build folder
(`make check`); srcdir is the source tree."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

SRCDIR = os.environ.get("srcdir", ".")
TOOL = os.path.join(SRCDIR, "runner", "v8cov2lcov.py")

# line 1 blank-free code, 2 comment, 3-5 a block comment, 6-8 a function
# (its `return 3` in a block of its own), 9 blank, 10 its end, 11 a call
SOURCE = (
    "const a = 1;\n"           # 1
    "// a comment\n"           # 2
    "/* a block\n"             # 3
    "   comment\n"             # 4
    "*/\n"                     # 5
    "function f(x) {\n"        # 6
    "  if (x) return 2;\n"     # 7
    "  return 3;\n"            # 8
    "\n"                       # 9
    "}\n"                      # 10
    "f(1);\n"                  # 11
)


def offset(line, column=0):
    """V8's offset of a line (1-based) and column: ASCII, so characters."""
    lines = SOURCE.splitlines(keepends=True)
    return sum(len(x) for x in lines[: line - 1]) + column


class Converter(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.src = os.path.join(self.dir, "host.js")
        with open(self.src, "w") as f:
            f.write(SOURCE)
        self.raw = os.path.join(self.dir, "raw")
        os.mkdir(self.raw)

    def tearDown(self):
        self.tmp.cleanup()

    def process(self, name, f_count, return3_count, url=None):
        """One process's coverage: the script ran once, f f_count times,
        and line 8 (`return 3`) return3_count times."""
        script = {
            "scriptId": "1",
            "url": url or "file://" + self.src,
            "functions": [
                {"functionName": "", "isBlockCoverage": True, "ranges": [
                    {"startOffset": 0, "endOffset": len(SOURCE), "count": 1}]},
                {"functionName": "f", "isBlockCoverage": True, "ranges": [
                    {"startOffset": offset(6), "endOffset": offset(11),
                     "count": f_count},
                    {"startOffset": offset(7, 17), "endOffset": offset(10),
                     "count": return3_count}]},
            ],
        }
        with open(os.path.join(self.raw, name), "w") as f:
            json.dump({"result": [script]}, f)

    def run_tool(self, *args):
        return subprocess.run([sys.executable, TOOL, *args, self.raw],
                              capture_output=True, text=True)

    def lines(self, output):
        return {int(n): int(c) for n, c in
                (x[3:].split(",") for x in output.splitlines()
                 if x.startswith("DA:"))}

    def test_nested_ranges_and_comments(self):
        self.process("a.json", 1, 0)
        r = self.run_tool()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.lines(r.stdout),
                         {1: 1, 6: 1, 7: 1, 8: 0, 10: 1, 11: 1})
        self.assertIn("LF:6\nLH:5\n", r.stdout)
        self.assertIn("SF:%s\n" % self.src, r.stdout)

    def test_processes_add_up(self):
        self.process("a.json", 1, 0)
        self.process("b.json", 2, 1)
        r = self.run_tool("--test-name", "SM_1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.lines(r.stdout),
                         {1: 2, 6: 3, 7: 3, 8: 1, 10: 3, 11: 2})
        self.assertTrue(r.stdout.startswith("TN:SM_1\n"))

    def test_keep_and_node_internals(self):
        self.process("a.json", 1, 0)
        self.process("b.json", 1, 0, url="node:internal/main")
        self.assertEqual(self.run_tool("--keep", "host.js").returncode, 0)
        r = self.run_tool("--keep", "instrument.js")
        self.assertEqual(r.returncode, 2)
        self.assertIn("none of the 2 files covers instrument.js", r.stderr)

    def test_errors(self):
        r = self.run_tool()
        self.assertEqual(r.returncode, 2)
        self.assertIn("no coverage files", r.stderr)
        with open(os.path.join(self.raw, "bad.json"), "w") as f:
            f.write("{")
        r = self.run_tool()
        self.assertEqual(r.returncode, 2)
        self.assertIn("bad.json", r.stderr)


if __name__ == "__main__":
    unittest.main()
