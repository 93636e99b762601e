#!/usr/bin/env python3
"""Turn V8's coverage (the JSON files Node writes into NODE_V8_COVERAGE)
into lcov line records, for the v8 host's report (docs/coverage.md).

    v8cov2lcov.py [--keep NAME]... [--test-name NAME] DIR > coverage.info

Each file in DIR is one Node process: for each script, the functions it
compiled, each with ranges of source offsets (UTF-16 code units) and how
many times each ran. Ranges nest, the inner one counting for its part: a
line's count is that of the innermost range around its first character
that is not blank. Lines that are blank or only a comment are not counted.
The counts of all processes are added up. --keep keeps only scripts whose
file name is NAME (default: every file: script); --test-name names the
records (lcov's TN, genhtml --show-details lists them per line).
"""

import json
import os
import sys
import urllib.parse
import urllib.request


def fail(message):
    sys.stderr.write("v8cov2lcov: %s\n" % message)
    sys.exit(2)


def script_path(url):
    """The local path of a file: URL, or None for node's own scripts."""
    if not url.startswith("file://"):
        return None
    return urllib.request.url2pathname(urllib.parse.urlparse(url).path)


class Source:
    """A script's lines, with where each line's first character that is
    not blank starts, in V8's offsets (UTF-16 code units)."""

    def __init__(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            fail("%s: %s" % (path, e))
        self.size = len(text.encode("utf-16-le")) // 2
        self.lines = {}  # line number -> offset of its first character
        offset = 0
        in_comment = False
        for number, line in enumerate(text.splitlines(keepends=True), 1):
            stripped = line.strip()
            if in_comment:
                code = False
                in_comment = "*/" not in stripped
            elif stripped.startswith("/*"):
                code = False
                in_comment = "*/" not in stripped[2:]
            else:
                code = bool(stripped) and not stripped.startswith("//")
            if code:
                lead = line[: len(line) - len(line.lstrip())]
                self.lines[number] = \
                    offset + len(lead.encode("utf-16-le")) // 2
            offset += len(line.encode("utf-16-le")) // 2


def line_counts(source, functions):
    """Count of each code line of source in one process."""
    ranges = [(r["startOffset"], r["endOffset"], r["count"])
              for f in functions for r in f.get("ranges", [])]
    # outer ranges first, so that inner ones paint over them
    ranges.sort(key=lambda r: r[0] - r[1])
    counts = [0] * (source.size + 1)
    for start, end, count in ranges:
        end = min(end, source.size + 1)
        if start < end:
            counts[start:end] = [count] * (end - start)
    return {n: counts[o] for n, o in source.lines.items() if o < len(counts)}


def main(argv):
    keep = []
    test_name = ""
    args = argv[1:]
    while len(args) >= 2 and args[0] in ("--keep", "--test-name"):
        if args[0] == "--keep":
            keep.append(args[1])
        else:
            test_name = args[1]
        args = args[2:]
    if len(args) != 1:
        fail("usage: v8cov2lcov.py [--keep NAME]... [--test-name NAME] DIR")
    directory = args[0]
    try:
        names = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
    except OSError as e:
        fail("%s: %s" % (directory, e))
    if not names:
        fail("%s: no coverage files (was NODE_V8_COVERAGE set for node?)"
             % directory)
    sources = {}
    totals = {}  # path -> {line: count}
    for name in names:
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            fail("%s: %s" % (path, e))
        for script in data.get("result", []):
            file = script_path(script.get("url", ""))
            if not file or (keep and os.path.basename(file) not in keep):
                continue
            if file not in sources:
                sources[file] = Source(file)
            lines = totals.setdefault(file, {})
            for n, c in line_counts(sources[file],
                                    script.get("functions", [])).items():
                lines[n] = lines.get(n, 0) + c
    if not totals:
        fail("%s: none of the %d files covers %s" %
             (directory, len(names), ", ".join(keep) or "a file: script"))
    out = sys.stdout
    for file in sorted(totals):
        lines = totals[file]
        out.write("TN:%s\nSF:%s\n" % (test_name, file))
        for n in sorted(lines):
            out.write("DA:%d,%d\n" % (n, lines[n]))
        out.write("LF:%d\nLH:%d\nend_of_record\n" %
                  (len(lines), sum(1 for c in lines.values() if c)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
