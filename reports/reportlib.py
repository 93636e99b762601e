"""Shared readers for the report and docs generators (standard library only).

Reads the rule catalogue (suite/rules.txt), the vectors' headers and their
one-of reading names, and merged result documents (canmem-results/1, as
runner/driver.py writes them; a single canmem-run/1 document is accepted
too). Everything here is pure: the generators decide what to write.
"""

import html
import json
import os
import re

OUTCOMES = ("pass", "fail", "xfail", "xpass", "skip", "error")
# A run is broken by these; xfail and skip are accepted.
BAD_OUTCOMES = ("fail", "xpass", "error")


# ---------------------------------------------------------------- catalogue

class Rule:
    def __init__(self, rule_id, title, section, line):
        self.id = rule_id
        self.title = title
        self.section = section
        self.line = line
        self.fields = {}        # key -> value (status, statement, source, ...)
        self.readings = []      # [(name, description)] in catalogue order
        self.edges = []         # linked EDGE-* ids

    @property
    def status(self):
        return self.fields.get("status", "").split()[0] if self.fields.get("status") else ""

    def get(self, key, default=""):
        return self.fields.get(key, default)


def parse_catalogue(path):
    """Returns (sections, rules): sections is [(title, [Rule])] in file order.

    Tolerates the older one-line format: without any `# ==` line, comment
    lines like `# 4. The heap` open the sections instead.
    """
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    has_marked_sections = any(l.startswith("# ==") for l in lines)
    sections = []
    rules = {}
    current = None          # the Rule being read
    last_key = None         # for continuation lines
    last_key_indent = 0

    def open_section(title):
        sections.append((title, []))

    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            last_key = None
            continue
        if raw.startswith("#"):
            text = raw[1:].strip()
            if has_marked_sections:
                if raw.startswith("# =="):
                    open_section(raw[4:].strip(" ="))
            elif re.match(r"^\d+[.)]\s+\S", text):
                open_section(text)
            continue
        indent = len(raw) - len(raw.lstrip(" \t"))
        if indent == 0:
            parts = raw.split(None, 1)
            if not sections:
                open_section("Rules")
            current = Rule(parts[0], parts[1].strip() if len(parts) > 1 else "",
                           sections[-1][0], number)
            rules[current.id] = current
            sections[-1][1].append(current)
            last_key = None
            continue
        if current is None:
            continue
        stripped = raw.strip()
        match = re.match(r"^([A-Za-z][\w.-]*(?: [\w.:+-]+)?):(?:\s+(.*))?$", stripped)
        if match and (last_key is None or indent <= last_key_indent):
            key, value = match.group(1), (match.group(2) or "").strip()
            last_key, last_key_indent = key, indent
            if key.startswith("reading "):
                current.readings.append([key[len("reading "):].strip(), value])
            elif key == "edge":
                current.edges.extend(v for v in re.split(r"[\s,]+", value) if v)
            elif key in current.fields:
                current.fields[key] += "\n" + value
            else:
                current.fields[key] = value
        elif last_key is not None:
            # A continuation line, indented deeper than its key.
            if last_key.startswith("reading "):
                current.readings[-1][1] = (current.readings[-1][1] + " " + stripped).strip()
            elif last_key == "edge":
                current.edges.extend(v for v in re.split(r"[\s,]+", stripped) if v)
            else:
                current.fields[last_key] = (current.fields[last_key] + " " + stripped).strip()
    sections = [(title, members) for title, members in sections if members]
    return sections, rules


# ------------------------------------------------------------------ vectors

_TOKEN = re.compile(r'\(|\)|"(?:[^"\\]|\\.)*"|[^\s()";]+')


def _strip_comments(text):
    """Removes ;; line comments and nested (; ;) block comments, keeping
    strings intact and line numbers unchanged."""
    out = []
    i, depth, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if depth:
            if text.startswith(";)", i):
                depth -= 1
                i += 2
            elif text.startswith("(;", i):
                depth += 1
                i += 2
            else:
                out.append("\n" if c == "\n" else " ")
                i += 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith(";;", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("(;", i):
            depth += 1
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _parse_forms(text):
    """Top-level s-expressions as nested lists of atoms (strings keep quotes)."""
    stack = [[]]
    for token in _TOKEN.findall(_strip_comments(text)):
        if token == "(":
            stack.append([])
        elif token == ")":
            if len(stack) > 1:
                done = stack.pop()
                stack[-1].append(done)
        else:
            stack[-1].append(token)
    while len(stack) > 1:          # unbalanced: keep what was read
        done = stack.pop()
        stack[-1].append(done)
    return stack[0]


def _unquote(atom):
    if len(atom) >= 2 and atom[0] == '"' and atom[-1] == '"':
        return re.sub(r"\\(.)", r"\1", atom[1:-1])
    return atom


class Vector:
    def __init__(self, vector_id, path):
        self.id = vector_id
        self.path = path          # relative to the vectors folder's parent
        self.area = vector_id.split("/", 1)[0]
        self.title = ""
        self.rules = []
        self.requires = []
        self.tags = []
        self.notes = []
        self.readings = []        # reading names of its one-of expectations
        self.source = ""
        self.problem = None       # why the header could not be read


def parse_vector(vector_id, path, text):
    vector = Vector(vector_id, path)
    vector.source = text
    forms = _parse_forms(text)
    header = next((f for f in forms if isinstance(f, list) and f and f[0] == "vector"), None)
    if header is None:
        vector.problem = "no (vector ...) header"
        return vector
    for item in header[1:]:
        if isinstance(item, str):
            vector.title = _unquote(item)
        elif item and item[0] in ("rules", "requires", "tags"):
            getattr(vector, item[0]).extend(a for a in item[1:] if isinstance(a, str))
        elif item and item[0] == "notes":
            vector.notes.extend(_unquote(a) for a in item[1:] if isinstance(a, str))

    def find_readings(form):
        if not isinstance(form, list):
            return
        if len(form) >= 2 and form[0] == "expect" and form[1] == "one-of":
            for alternative in form[2:]:
                if isinstance(alternative, list) and alternative and isinstance(alternative[0], str):
                    if alternative[0] not in vector.readings:
                        vector.readings.append(alternative[0])
        for sub in form:
            find_readings(sub)

    for form in forms:
        find_readings(form)
    return vector


def load_vectors(vectors_dir):
    """All vectors under vectors_dir, sorted by id; paths as `vectors/...`."""
    vectors = []
    base = os.path.basename(os.path.normpath(vectors_dir)) or "vectors"
    for root, dirs, files in os.walk(vectors_dir):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".wast"):
                continue
            full = os.path.join(root, name)
            rel = os.path.relpath(full, vectors_dir).replace(os.sep, "/")
            with open(full, encoding="utf-8", errors="replace") as f:
                text = f.read()
            vectors.append(parse_vector(rel[:-len(".wast")], base + "/" + rel, text))
    vectors.sort(key=lambda v: v.id)
    return vectors


def vectors_by_rule(vectors):
    table = {}
    for vector in vectors:
        for rule_id in vector.rules:
            table.setdefault(rule_id, []).append(vector)
    return table


# ------------------------------------------------------------------ results

class Run:
    """One runtime under one profile."""

    def __init__(self, data):
        self.runtime = data.get("runtime") or data.get("runtime_name") or "runtime"
        self.adapter = data.get("adapter", "")
        self.runtime_name = data.get("runtime_name", self.runtime)
        self.runtime_version = data.get("runtime_version", "")
        self.profile = data.get("profile", "")
        self.capabilities = data.get("capabilities", [])
        self.features = data.get("profile_features", [])
        self.expectations = data.get("expectations") or ""
        self.summary = data.get("summary", {})
        self.vectors = sorted(data.get("vectors", []), key=lambda v: v.get("id", ""))

    @property
    def label(self):
        return "%s (%s)" % (self.runtime, self.profile) if self.profile else self.runtime

    @property
    def slug(self):
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", "%s--%s" % (self.runtime, self.profile)).strip("-")

    def count(self, outcome):
        return sum(1 for v in self.vectors if v.get("outcome") == outcome)

    def bad(self):
        return [v for v in self.vectors if v.get("outcome") in BAD_OUTCOMES]


def _normalise_run(data):
    """A canmem-run/1 document as a run of canmem-results/1."""
    runtime = data.get("runtime", {}) or {}
    profile = data.get("profile", {}) or {}
    return {
        "runtime": runtime.get("name", "runtime"), "adapter": runtime.get("adapter", ""),
        "runtime_name": runtime.get("name", ""), "runtime_version": runtime.get("version", ""),
        "capabilities": runtime.get("capabilities", []),
        "profile": profile.get("name", ""), "profile_features": profile.get("features", []),
        "expectations": data.get("expectations"), "summary": data.get("summary", {}),
        "vectors": data.get("vectors", []),
    }


def load_results(path):
    """Returns (document, [Run]). Raises ValueError on a document of another kind."""
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    schema = document.get("schema", "")
    if schema.startswith("canmem-run/"):
        document = {"schema": "canmem-results/1", "generated": document.get("started", ""),
                    "duration_s": document.get("duration_s", 0), "problems": [],
                    "summary": document.get("summary", {}),
                    "runs": [_normalise_run(document)]}
    elif not schema.startswith("canmem-results/"):
        raise ValueError("%s: not a canmem results document (schema %r)" % (path, schema))
    return document, [Run(r) for r in document.get("runs", [])]


def rule_outcome(vectors):
    """One word for a rule in one run, from the results of its vectors."""
    outcomes = [v.get("outcome") for v in vectors]
    if not outcomes:
        return "no-vector"
    for bad in ("error", "fail", "xpass"):
        if bad in outcomes:
            return bad
    if "xfail" in outcomes:
        return "xfail"
    if all(o == "skip" for o in outcomes):
        return "skip"
    return "pass"


def is_ambiguous(rule):
    return bool(rule.readings) or rule.status == "ambiguous" or (
        not rule.status and rule.id.startswith("EDGE-"))


def readings_for_rule(rule, run_vectors):
    """Reading names a run followed in the one-of steps of a rule's vectors.

    Only names the rule declares count when it declares any (a vector may
    check several ambiguous rules at once). Returns (names, failed): failed
    when a vector of the rule with a one-of step did not pass.
    """
    declared = {name for name, _ in rule.readings}
    names, failed = [], False
    for result in run_vectors:
        followed = [r.get("reading") for r in result.get("readings") or []]
        if declared:
            followed = [r for r in followed if r in declared]
        for name in followed:
            if name not in names:
                names.append(name)
        if result.get("outcome") in BAD_OUTCOMES + ("xfail",) and not followed:
            failed = True
    return names, failed


# --------------------------------------------------------------------- html

def esc(text):
    return html.escape("" if text is None else str(text), quote=True)


def anchor(text):
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(text)).strip("-") or "x"


STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#c9d1e0}
header a{color:#9cc3ff}
main{padding:12px 28px 40px;max-width:1400px}
h2{margin:28px 0 8px;font-size:19px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
h3{margin:18px 0 6px;font-size:16px}
table{border-collapse:collapse;background:#fff;margin:6px 0 12px;font-size:14px}
th,td{border:1px solid #d5d9e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef0f4}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",monospace}
pre{background:#fff;border:1px solid #d5d9e0;padding:8px;overflow-x:auto;white-space:pre-wrap}
.o{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;font-weight:600;white-space:nowrap}
.o-pass{background:#d8f3dc;color:#1b5e20}.o-fail,.o-error,.o-xpass{background:#ffd6d6;color:#8b0000}
.o-xfail{background:#fff1c2;color:#6b4e00}.o-skip,.o-no-vector{background:#e6e8ec;color:#4a5262}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:8px 14px;min-width:90px}
.card b{display:block;font-size:22px}
.failure{background:#fff;border:1px solid #e7b3b3;border-left:5px solid #c62828;border-radius:4px;padding:8px 14px;margin:10px 0}
.failure h3{margin-top:4px}
.ev td:first-child{font-weight:600;width:7em}
.muted{color:#5d6675}
.reading{font-style:italic}
nav a{margin-right:14px}
"""


def page(title, subtitle, body, nav=""):
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n"
            "<header><h1>%s</h1><p>%s</p>%s</header>\n<main>\n%s\n</main>\n</body>\n</html>\n"
            % (esc(title), STYLE, esc(title), subtitle,
               ("<p><nav>%s</nav></p>" % nav) if nav else "", body))


def badge(outcome):
    return '<span class="o o-%s">%s</span>' % (esc(outcome), esc(outcome))
