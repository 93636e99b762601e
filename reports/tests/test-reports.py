#!/usr/bin/env python3
"""Unit and end-to-end tests of the report and docs generators.

Runs from the build folder (`make check`); srcdir is the source tree.
"""

import html.parser
import json
import os
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

SRCDIR = os.environ.get("srcdir", ".")
REPORTS = os.path.join(SRCDIR, "reports")
sys.dont_write_bytecode = True  # keep the source tree clean (it may be read-only)
sys.path.insert(0, REPORTS)
import reportlib as rl  # noqa: E402

FIXTURE_RESULTS = os.path.join(REPORTS, "tests", "fixture-results.json")
FIXTURE_RULES = os.path.join(REPORTS, "tests", "fixture-rules.txt")


class PageChecker(html.parser.HTMLParser):
    """Collects ids and anything that would need the network or scripts."""

    def __init__(self):
        super().__init__()
        self.ids, self.classes, self.remote, self.scripts = set(), set(), [], 0
        self.stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if "id" in attrs:
            self.ids.add(attrs["id"])
        self.classes.update((attrs.get("class") or "").split())
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            if "://" in value or value.startswith("//"):
                self.remote.append(value)
        if tag not in ("meta", "br", "img", "link", "input", "hr"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("meta", "br", "img", "link", "input", "hr"):
            return
        if not self.stack or self.stack[-1] != tag:
            raise AssertionError("unbalanced </%s> (open: %s)" % (tag, self.stack[-3:]))
        self.stack.pop()


def check_page(path):
    checker = PageChecker()
    with open(path, encoding="utf-8") as f:
        checker.feed(f.read())
    assert not checker.stack, "unclosed tags %s in %s" % (checker.stack, path)
    return checker


class CatalogueTest(unittest.TestCase):
    def test_fields_readings_sections(self):
        sections, rules = rl.parse_catalogue(FIXTURE_RULES)
        self.assertEqual([t for t, _ in sections], ["Stable memory", "Edge cases"])
        rule = rules["SM32-4G-1"]
        self.assertEqual(rule.status, "normative")
        self.assertIn("even one whose range is in bounds", rule.get("statement"))
        self.assertEqual(rule.edges, ["EDGE-4G"])
        order = rules["EDGE-ORDER"]
        self.assertEqual([n for n, _ in order.readings], ["formal", "stable-first"])
        self.assertIn("formal model's text", order.readings[0][1])
        self.assertEqual(order.get("reference"), "formal")
        self.assertEqual(rules["EDGE-LOGS-ON-TRAP"].get("why"), "the model has no canister logs")

    def test_old_format(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# header\n\n# 6. Stable memory\nSM-1  keeps data\nSM-2  starts empty\n")
        try:
            sections, rules = rl.parse_catalogue(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(sections[0][0], "6. Stable memory")
        self.assertEqual(sorted(rules), ["SM-1", "SM-2"])

    def test_real_catalogue_parses(self):
        sections, rules = rl.parse_catalogue(os.path.join(SRCDIR, "suite", "rules.txt"))
        self.assertGreater(len(rules), 50)
        self.assertTrue(sections)


class VectorTest(unittest.TestCase):
    def test_header_and_readings(self):
        text = ('(vector "a ;; title" (rules A-1 B-2) (tags x) (notes "n"))\n'
                ';; (expect one-of (commented out trap))\n(; (expect one-of (block trap)) ;)\n'
                '(module $c (memory 1))\n(install $c)\n(update "w")\n'
                '(expect one-of (formal trap heap-out-of-bounds) (stable-first trap))\n')
        vector = rl.parse_vector("stable/x", "vectors/stable/x.wast", text)
        self.assertEqual(vector.title, "a ;; title")
        self.assertEqual(vector.rules, ["A-1", "B-2"])
        self.assertEqual(vector.readings, ["formal", "stable-first"])
        self.assertEqual(vector.area, "stable")

    def test_broken_vector_is_not_fatal(self):
        vector = rl.parse_vector("x/y", "vectors/x/y.wast", '(module (func "unterminated')
        self.assertEqual(vector.problem, "no (vector ...) header")

    def test_all_vectors_parse(self):
        vectors = rl.load_vectors(os.path.join(SRCDIR, "vectors"))
        self.assertGreater(len(vectors), 100)
        self.assertEqual([v.id for v in vectors if v.problem], [])


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        suite = os.path.join(cls.tmp.name, "suite")
        os.mkdir(suite)
        with open(FIXTURE_RULES, encoding="utf-8") as src, \
                open(os.path.join(suite, "rules.txt"), "w", encoding="utf-8") as dst:
            dst.write(src.read())
        cls.out = os.path.join(cls.tmp.name, "out")
        result = subprocess.run(
            [sys.executable, os.path.join(REPORTS, "make-report.py"), "--results", FIXTURE_RESULTS,
             "--out", cls.out, "--suite", suite, "--vectors", os.path.join(SRCDIR, "vectors")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        cls.output = result.stdout
        cls.status = result.returncode
        cls.docs = os.path.join(cls.tmp.name, "docs")
        cls.docs_status = subprocess.call(
            [sys.executable, os.path.join(REPORTS, "make-docs.py"), "--out", cls.docs, "--suite", suite,
             "--vectors", os.path.join(SRCDIR, "vectors"), "--results", FIXTURE_RESULTS])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_files(self):
        self.assertEqual(self.status, 0, self.output)
        self.assertEqual(sorted(os.listdir(self.out)), [
            "compare.html", "index.html", "junit.xml", "results.json",
            "run-canmem-ref--ic-current.html", "run-wasm2c--ic-current.html", "summary.md"])
        self.assertIn("report: ", self.output)

    def test_run_page(self):
        page = check_page(os.path.join(self.out, "run-wasm2c--ic-current.html"))
        self.assertEqual(page.scripts, 0)
        self.assertEqual(page.remote, [])
        for element in ("summary", "failures", "by-area", "by-rule", "r-EDGE-ORDER", "expected-failures"):
            self.assertIn(element, page.ids)
        for cls in ("failure", "expected", "actual", "reproduce", "source", "o-fail", "o-skip", "o-xfail"):
            self.assertIn(cls, page.classes)
        with open(os.path.join(self.out, "run-wasm2c--ic-current.html"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("(vector ", text.replace("&quot;", '"'))    # a vector's source
        self.assertIn("canmem-run --adapter", text)               # a reproduction command

    def test_compare_page(self):
        page = check_page(os.path.join(self.out, "compare.html"))
        self.assertIn("readings-table", page.ids)
        with open(os.path.join(self.out, "compare.html"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("stable-first", text)
        self.assertIn("formal", text)
        check_page(os.path.join(self.out, "index.html"))

    def test_junit(self):
        root = ET.parse(os.path.join(self.out, "junit.xml")).getroot()
        suites = root.findall("testsuite")
        self.assertEqual([s.get("name") for s in suites], ["canmem-ref/ic-current", "wasm2c/ic-current"])
        second = suites[1]
        self.assertEqual(len(second.findall("testcase")), 13)
        self.assertEqual(second.get("failures"), "4")
        self.assertEqual(second.get("errors"), "1")
        self.assertEqual(second.get("skipped"), "4")

    def test_markdown(self):
        with open(os.path.join(self.out, "summary.md"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("| wasm2c wabt-1.0.32/1 | ic-current | 4 | 4 | 1 | 0 | 3 | 1 |", text)
        self.assertIn("## Failures (5)", text)

    def test_results_copied(self):
        with open(os.path.join(self.out, "results.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f)["schema"], "canmem-results/1")

    def test_docs(self):
        self.assertEqual(self.docs_status, 0)
        with open(os.path.join(self.docs, "edge-cases.md"), encoding="utf-8") as f:
            edges = f.read()
        self.assertIn("### EDGE-ORDER: the order of the heap and stable bound checks", edges)
        self.assertIn("| `formal` (reference) |", edges)
        self.assertIn("| wasm2c | ic-current |", edges)
        self.assertIn("### EDGE-4G", edges)          # derived
        self.assertNotIn("EDGE-LOGS-ON-TRAP", edges)  # outside-model
        with open(os.path.join(self.docs, "memory-model-rules.md"), encoding="utf-8") as f:
            rules = f.read()
        self.assertIn("Why no vector checks it: the model has no canister logs", rules)
        self.assertIn("```wast", rules)
        self.assertNotIn(os.path.abspath(SRCDIR), rules)

    def test_bad_input(self):
        bad = os.path.join(self.tmp.name, "bad.json")
        with open(bad, "w") as f:
            f.write('{"schema": "something-else"}')
        status = subprocess.call([sys.executable, os.path.join(REPORTS, "make-report.py"),
                                  "--results", bad, "--out", os.path.join(self.tmp.name, "x")],
                                 stderr=subprocess.DEVNULL)
        self.assertEqual(status, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
