#!/usr/bin/env python3
"""Writes the conformance reports of one merged results document.

    reports/make-report.py --results results.json --out reports/out
        [--suite suite] [--vectors vectors] [--root DIR] [--quiet]

Into --out: index.html (every run, links), one page per runtime and profile
run-<runtime>--<profile>.html (by area and by rule; each failure with
expected and actual, the reproduction command and the vector's source),
compare.html when more than one runtime or profile ran (rows are rules,
columns are runs, readings of ambiguous rules), summary.md (for pull
requests), junit.xml, and results.json (the merged document itself).
Pages are self-contained: inline CSS, no scripts, no network.
Prints the summary; exits 0 when written (the exit status does not judge
the results: the main job does), 2 on bad input.
"""

import argparse
import json
import os
import shutil
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # keep the source tree clean (it may be read-only)
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


# reportlib.py: beside this script, or in $(pkgdatadir)/python once installed.
_installed = installed_data_dir()
sys.path.insert(0, os.path.join(_installed, "python") if _installed
                else os.path.dirname(os.path.abspath(__file__)))
import reportlib as rl  # noqa: E402


def vector_source(result, vectors_by_id, root):
    """The vector's text: from the vectors read, else from its path."""
    vector = vectors_by_id.get(result.get("id"))
    if vector is not None:
        return vector.source
    path = result.get("path") or ""
    for candidate in (path, os.path.join(root, path)):
        try:
            with open(candidate, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            continue
    return None


def summary_cards(summary):
    cells = []
    for key, label in (("total", "vectors"), ("passed", "passed"), ("failed", "failed"),
                       ("xfail", "expected-fail"), ("xpass", "unexpected pass"),
                       ("skipped", "skipped"), ("errors", "errors")):
        cells.append('<div class="card" id="count-%s"><b>%d</b>%s</div>'
                     % (rl.esc(key), int(summary.get(key, 0) or 0), rl.esc(label)))
    return '<div class="cards" id="summary">%s</div>' % "".join(cells)


def summary_line(run):
    s = run.summary
    return ("%s %s, profile %s: %d passed, %d failed, %d skipped, %d xfail, %d xpass, %d errors (%d vectors)"
            % (run.runtime, run.runtime_version, run.profile, s.get("passed", 0), s.get("failed", 0),
               s.get("skipped", 0), s.get("xfail", 0), s.get("xpass", 0), s.get("errors", 0),
               s.get("total", len(run.vectors))))


def failure_block(result, source):
    out = ['<div class="failure" id="v-%s">' % rl.anchor(result.get("id")),
           "<h3>%s %s</h3>" % (rl.badge(result.get("outcome")), rl.esc(result.get("id"))),
           "<p>%s</p>" % rl.esc(result.get("title"))]
    if result.get("rules"):
        out.append("<p>Rules: %s</p>" % ", ".join(
            '<a href="#r-%s">%s</a>' % (rl.anchor(r), rl.esc(r)) for r in result["rules"]))
    if result.get("reason"):
        out.append("<p><b>Why:</b> %s</p>" % rl.esc(result["reason"]))
    failure = result.get("failure")
    if failure:
        out.append('<table class="ev">')
        out.append("<tr><td>step</td><td>%s %s at line %s:%s</td></tr>" % (
            rl.esc(failure.get("step")), rl.esc(failure.get("kind")),
            rl.esc(failure.get("line")), rl.esc(failure.get("column"))))
        out.append('<tr><td>expected</td><td><code class="expected">%s</code></td></tr>'
                   % rl.esc(failure.get("expected")))
        out.append('<tr><td>actual</td><td><code class="actual">%s</code></td></tr>'
                   % rl.esc(failure.get("actual")))
        if failure.get("message"):
            out.append("<tr><td>message</td><td>%s</td></tr>" % rl.esc(failure.get("message")))
        out.append("</table>")
    if result.get("reproduce"):
        out.append('<p><b>Reproduce:</b></p><pre class="reproduce">%s</pre>' % rl.esc(result["reproduce"]))
    if source is not None:
        out.append('<details><summary>vector source: <code>%s</code></summary><pre class="source">%s</pre></details>'
                   % (rl.esc(result.get("path")), rl.esc(source)))
    out.append("</div>")
    return "\n".join(out)


def run_page(run, sections, rules, vectors_by_id, root, has_compare):
    by_id = {v.get("id"): v for v in run.vectors}
    body = [summary_cards(run.summary)]
    body.append("<table><tr><th>runtime</th><td>%s %s (adapter <code>%s</code>)</td></tr>"
                "<tr><th>profile</th><td>%s</td></tr><tr><th>expectations</th><td>%s</td></tr>"
                "<tr><th>capabilities</th><td>%s</td></tr><tr><th>profile features</th><td>%s</td></tr></table>"
                % (rl.esc(run.runtime_name), rl.esc(run.runtime_version), rl.esc(run.adapter),
                   rl.esc(run.profile), rl.esc(os.path.basename(run.expectations) or "none"),
                   rl.esc(" ".join(run.capabilities)), rl.esc(" ".join(run.features))))

    # Failures first: what a reader comes for.
    bad = run.bad()
    body.append('<h2 id="failures">Failures (%d)</h2>' % len(bad))
    if not bad:
        body.append("<p>No vector failed, passed unexpectedly or was broken.</p>")
    for result in bad:
        body.append(failure_block(result, vector_source(result, vectors_by_id, root)))

    expected = [v for v in run.vectors if v.get("outcome") == "xfail"]
    if expected:
        body.append('<h2 id="expected-failures">Expected failures (%d)</h2>' % len(expected))
        for result in expected:
            body.append(failure_block(result, vector_source(result, vectors_by_id, root)))

    # By area.
    areas = {}
    for result in run.vectors:
        areas.setdefault(result.get("area") or result.get("id", "").split("/")[0], []).append(result)
    body.append('<h2 id="by-area">By area</h2>')
    body.append("<table><tr><th>area</th>%s<th>total</th></tr>" % "".join(
        "<th>%s</th>" % o for o in rl.OUTCOMES))
    for area in sorted(areas):
        counts = [sum(1 for v in areas[area] if v.get("outcome") == o) for o in rl.OUTCOMES]
        body.append('<tr><td><a href="#a-%s">%s</a></td>%s<td class="num">%d</td></tr>' % (
            rl.anchor(area), rl.esc(area),
            "".join('<td class="num">%s</td>' % (c or "") for c in counts), len(areas[area])))
    body.append("</table>")
    for area in sorted(areas):
        body.append('<h3 id="a-%s">%s</h3><table><tr><th>vector</th><th>outcome</th><th>title</th><th>rules</th><th>note</th></tr>'
                    % (rl.anchor(area), rl.esc(area)))
        for result in areas[area]:
            outcome = result.get("outcome")
            vid = result.get("id")
            name = ('<a href="#v-%s">%s</a>' % (rl.anchor(vid), rl.esc(vid))
                    if outcome in rl.BAD_OUTCOMES + ("xfail",) else rl.esc(vid))
            note = result.get("reason") if outcome != "pass" else ""
            readings = ", ".join("step %s: %s" % (r.get("step"), r.get("reading"))
                                 for r in result.get("readings") or [])
            if readings:
                note = (note + "; " if note else "") + "readings: " + readings
            body.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
                name, rl.badge(outcome), rl.esc(result.get("title")),
                rl.esc(" ".join(result.get("rules") or [])), rl.esc(note)))
        body.append("</table>")

    # By rule, in catalogue order; rules the results name but the catalogue
    # does not know come last.
    results_by_rule = {}
    for result in run.vectors:
        for rule_id in result.get("rules") or []:
            results_by_rule.setdefault(rule_id, []).append(result)
    body.append('<h2 id="by-rule">By rule</h2>')
    listed = set()
    groups = [(title, members) for title, members in sections]
    unknown = [rl.Rule(r, "", "Rules not in the catalogue", 0)
               for r in sorted(results_by_rule) if r not in rules]
    if unknown:
        groups.append(("Rules not in the catalogue", unknown))
    for title, members in groups:
        body.append("<h3>%s</h3><table><tr><th>rule</th><th>outcome</th><th>status</th><th>title</th><th>vectors</th></tr>"
                    % rl.esc(title))
        for rule in members:
            listed.add(rule.id)
            results = results_by_rule.get(rule.id, [])
            outcome = rl.rule_outcome(results)
            if rule.status == "outside-model" and not results:
                outcome = "skip"
            links = " ".join(
                ('<a href="#v-%s">%s</a>' % (rl.anchor(v.get("id")), rl.esc(v.get("id")))
                 if v.get("outcome") in rl.BAD_OUTCOMES + ("xfail",) else rl.esc(v.get("id")))
                for v in results)
            body.append('<tr id="r-%s"><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>' % (
                rl.anchor(rule.id), rl.esc(rule.id), rl.badge(outcome), rl.esc(rule.status),
                rl.esc(rule.title), links or '<span class="muted">%s</span>' % rl.esc(
                    rule.get("why") or "no vector")))
        body.append("</table>")
    nav = '<a href="index.html">all runs</a>' + (' <a href="compare.html">comparison</a>' if has_compare else "")
    nav += ' <a href="#failures">failures</a> <a href="#by-area">by area</a> <a href="#by-rule">by rule</a>'
    subtitle = rl.esc(summary_line(run))
    return rl.page("canmem: %s" % run.label, subtitle, "\n".join(body), nav)


def compare_page(runs, sections, rules):
    per_run = []
    for run in runs:
        table = {}
        for result in run.vectors:
            for rule_id in result.get("rules") or []:
                table.setdefault(rule_id, []).append(result)
        per_run.append(table)
    head = "".join("<th>%s<br><span class=\"muted\">%s</span></th>" % (rl.esc(r.runtime), rl.esc(r.profile))
                   for r in runs)
    body = ['<p>Rows are rules of the catalogue, columns are runtimes under a profile. '
            'For ambiguous rules, the cell names the reading the runtime followed.</p>']
    ambiguous = [rule for _, members in sections for rule in members if rl.is_ambiguous(rule)]
    if ambiguous:
        body.append('<h2 id="readings">Readings of ambiguous rules</h2>')
        body.append("<table id=\"readings-table\"><tr><th>rule</th><th>readings</th><th>reference</th>%s</tr>" % head)
        for rule in ambiguous:
            cells = []
            for table in per_run:
                names, failed = rl.readings_for_rule(rule, table.get(rule.id, []))
                text = ", ".join(names) or ("- (a vector fails)" if failed else "-")
                cells.append('<td class="reading">%s</td>' % rl.esc(text))
            body.append('<tr><td><a href="#r-%s"><code>%s</code></a></td><td>%s</td><td>%s</td>%s</tr>' % (
                rl.anchor(rule.id), rl.esc(rule.id), rl.esc(", ".join(n for n, _ in rule.readings)),
                rl.esc(rule.get("reference")), "".join(cells)))
        body.append("</table>")
    body.append('<h2 id="rules">All rules</h2>')
    for title, members in sections:
        body.append("<h3>%s</h3><table><tr><th>rule</th><th>title</th>%s</tr>" % (rl.esc(title), head))
        for rule in members:
            cells = []
            for table in per_run:
                results = table.get(rule.id, [])
                outcome = rl.rule_outcome(results)
                cell = rl.badge(outcome)
                names = rl.readings_for_rule(rule, results)[0] if rl.is_ambiguous(rule) else []
                if names:
                    cell += ' <span class="reading">%s</span>' % rl.esc(", ".join(sorted(set(names))))
                cells.append("<td>%s</td>" % cell)
            body.append('<tr id="r-%s"><td><code>%s</code></td><td>%s</td>%s</tr>' % (
                rl.anchor(rule.id), rl.esc(rule.id), rl.esc(rule.title), "".join(cells)))
        body.append("</table>")
    subtitle = "%d runs: %s" % (len(runs), rl.esc(", ".join(r.label for r in runs)))
    return rl.page("canmem: comparison of runtimes", subtitle, "\n".join(body),
                   '<a href="index.html">all runs</a> <a href="#readings">readings</a> <a href="#rules">rules</a>')


def index_page(document, runs, pages, has_compare):
    body = [summary_cards(document.get("summary", {}))]
    body.append('<h2 id="runs">Runs</h2><table id="runs-table"><tr><th>runtime</th><th>profile</th>%s<th>total</th></tr>'
                % "".join("<th>%s</th>" % o for o in rl.OUTCOMES))
    for run, name in zip(runs, pages):
        body.append('<tr><td><a href="%s">%s</a> <span class="muted">%s</span></td><td>%s</td>%s<td class="num">%d</td></tr>' % (
            rl.esc(name), rl.esc(run.runtime), rl.esc(run.runtime_version), rl.esc(run.profile),
            "".join('<td class="num">%s</td>' % (run.count(o) or "") for o in rl.OUTCOMES), len(run.vectors)))
    body.append("</table>")
    if has_compare:
        body.append('<p><a href="compare.html">Compare the runtimes rule by rule</a>, with the readings they follow.</p>')
    problems = document.get("problems") or []
    if problems:
        body.append('<h2 id="problems">Runs that did not finish</h2><ul>%s</ul>' % "".join(
            "<li>%s (%s): %s<pre>%s</pre></li>" % (rl.esc(p.get("runtime")), rl.esc(p.get("profile")),
                                                    rl.esc(p.get("problem")), rl.esc(p.get("command")))
            for p in problems))
    body.append('<p class="muted">Also here: <a href="summary.md">summary.md</a>, '
                '<a href="junit.xml">junit.xml</a>, <a href="results.json">results.json</a>.</p>')
    subtitle = "generated %s from %d vectors in %.1f s" % (
        rl.esc(document.get("generated", "")), int(document.get("vector_count", 0) or 0),
        float(document.get("duration_s", 0) or 0))
    return rl.page("canmem conformance report", subtitle, "\n".join(body))


def markdown_summary(document, runs, sections, rules, limit=40):
    lines = ["# canmem conformance summary", ""]
    lines.append("| runtime | profile | passed | failed | xfail | xpass | skipped | errors |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        s = run.summary
        lines.append("| %s %s | %s | %d | %d | %d | %d | %d | %d |" % (
            run.runtime, run.runtime_version, run.profile, s.get("passed", 0), s.get("failed", 0),
            s.get("xfail", 0), s.get("xpass", 0), s.get("skipped", 0), s.get("errors", 0)))
    lines.append("")
    bad = [(run, v) for run in runs for v in run.bad()]
    if bad:
        lines.append("## Failures (%d)" % len(bad))
        lines.append("")
        for run, v in bad[:limit]:
            lines.append("- **%s** `%s` (%s): %s" % (v.get("outcome"), v.get("id"), run.label,
                                                     (v.get("reason") or "").replace("\n", " ")))
            failure = v.get("failure") or {}
            if failure:
                lines.append("  expected `%s`, actual `%s`" % (failure.get("expected"), failure.get("actual")))
            if v.get("reproduce"):
                lines.append("  `%s`" % v["reproduce"])
        if len(bad) > limit:
            lines.append("- ... and %d more (see the HTML report)" % (len(bad) - limit))
        lines.append("")
    else:
        lines.append("No failures.")
        lines.append("")
    problems = document.get("problems") or []
    for p in problems:
        lines.append("- run did not finish: %s (%s): %s" % (p.get("runtime"), p.get("profile"), p.get("problem")))
    # Ambiguous rules where runs disagree: worth a line in a pull request.
    if len(runs) > 1:
        disagreements = []
        for _, members in sections:
            for rule in members:
                if not rl.is_ambiguous(rule):
                    continue
                seen = []
                for run in runs:
                    results = [v for v in run.vectors if rule.id in (v.get("rules") or [])]
                    names, _ = rl.readings_for_rule(rule, results)
                    seen.append("%s: %s" % (run.label, ", ".join(names) or "-"))
                if len({s.split(": ", 1)[1] for s in seen}) > 1:
                    disagreements.append("- `%s`: %s" % (rule.id, "; ".join(seen)))
        if disagreements:
            lines.append("## Readings that differ between runs")
            lines.append("")
            lines.extend(disagreements)
            lines.append("")
    return "\n".join(lines)


def junit_xml(runs):
    suites = ET.Element("testsuites", name="canmem")
    for run in runs:
        suite = ET.SubElement(suites, "testsuite", name="%s/%s" % (run.runtime, run.profile),
                              tests=str(len(run.vectors)),
                              failures=str(run.count("fail") + run.count("xpass")),
                              errors=str(run.count("error")),
                              skipped=str(run.count("skip") + run.count("xfail")))
        props = ET.SubElement(suite, "properties")
        for name, value in (("runtime", run.runtime_name), ("version", run.runtime_version),
                            ("adapter", run.adapter), ("profile", run.profile)):
            ET.SubElement(props, "property", name=name, value=str(value))
        for v in run.vectors:
            case = ET.SubElement(suite, "testcase", classname=v.get("area") or "",
                                 name="%s: %s" % (v.get("id"), v.get("title")), file=v.get("path") or "",
                                 time="%.4f" % float(v.get("duration_s") or 0))
            outcome = v.get("outcome")
            failure = v.get("failure") or {}
            text = "\n".join(x for x in (
                v.get("reason") or "",
                "expected: %s" % failure.get("expected") if failure else "",
                "actual:   %s" % failure.get("actual") if failure else "",
                "message:  %s" % failure.get("message") if failure else "",
                "reproduce: %s" % v.get("reproduce") if v.get("reproduce") else "") if x)
            if outcome in ("fail", "xpass"):
                ET.SubElement(case, "failure", type=outcome, message=v.get("reason") or outcome).text = text
            elif outcome == "error":
                ET.SubElement(case, "error", message=v.get("reason") or "error").text = text
            elif outcome in ("skip", "xfail"):
                ET.SubElement(case, "skipped", message=("expected to fail: " if outcome == "xfail" else "")
                              + (v.get("reason") or ""))
    ET.indent(suites) if hasattr(ET, "indent") else None
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def main():
    parser = argparse.ArgumentParser(description="Write the canmem conformance reports.")
    here = os.path.dirname(os.path.abspath(__file__))
    top = installed_data_dir() or os.path.dirname(here)
    parser.add_argument("--results", required=True, help="merged results (canmem-results/1) or canmem-run/1 JSON")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--suite", default=os.path.join(top, "suite"), help="folder with rules.txt")
    parser.add_argument("--vectors", default=os.path.join(top, "vectors"), help="the vectors, for their sources")
    parser.add_argument("--root", default=".", help="where the vector paths of the results are relative to")
    parser.add_argument("--quiet", action="store_true", help="do not print the summary")
    args = parser.parse_args()

    try:
        document, runs = rl.load_results(args.results)
        sections, rules = rl.parse_catalogue(os.path.join(args.suite, "rules.txt"))
    except (OSError, ValueError) as e:
        print("make-report: %s" % e, file=sys.stderr)
        return 2
    vectors = rl.load_vectors(args.vectors) if os.path.isdir(args.vectors) else []
    vectors_by_id = {v.id: v for v in vectors}

    os.makedirs(args.out, exist_ok=True)
    has_compare = len(runs) > 1
    pages = ["run-%s.html" % run.slug for run in runs]

    def write(name, text):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.write(text)

    for run, name in zip(runs, pages):
        write(name, run_page(run, sections, rules, vectors_by_id, args.root, has_compare))
    if has_compare:
        write("compare.html", compare_page(runs, sections, rules))
    elif os.path.exists(os.path.join(args.out, "compare.html")):
        os.remove(os.path.join(args.out, "compare.html"))  # stale from an earlier run
    write("index.html", index_page(document, runs, pages, has_compare))
    write("summary.md", markdown_summary(document, runs, sections, rules))
    write("junit.xml", junit_xml(runs))
    target = os.path.join(args.out, "results.json")
    if os.path.abspath(args.results) != os.path.abspath(target):
        shutil.copyfile(args.results, target)

    if not args.quiet:
        for run in runs:
            print(summary_line(run))
        for p in document.get("problems") or []:
            print("did not finish: %s (%s): %s" % (p.get("runtime"), p.get("profile"), p.get("problem")))
        print("report: %s" % os.path.join(args.out, "index.html"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
