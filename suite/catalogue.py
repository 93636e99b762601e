#!/usr/bin/env python3
"""The requirement catalogue of the canister memory model.

Reads suite/rules.txt (the catalogue: one record per rule) and the vectors'
headers `(rules ...)` and the reading names of their `(expect one-of ...)`
expectations, then

  --check       exits 1 (with file:line for each problem) when
                  - a rule that is not outside-model has no vector,
                  - a vector names a rule the catalogue does not have,
                  - an ambiguous rule has fewer than two readings or no
                    `reference:` naming one of them,
                  - a vector uses a reading name that none of its rules
                    (nor the catalogue at all) defines,
                  - a record is malformed (missing status/statement/source,
                    unknown status, outside-model without `why:`, an `edge:`
                    or `checklist:` link to nothing, an ID listed twice),
                  - a behaviour of the checklist (anchor-behaviours.md
                    section 5, A-D) is claimed by no rule that has a vector;
  --json FILE   writes the catalogue with each rule's vectors (schema
                canmem-catalogue/1) for reports and docs;
  --summary     prints counts by status and section.

Standard library only. The format is described at the top of rules.txt.
"""

import argparse
import json
import os
import re
import sys

STATUSES = ("normative", "derived", "ambiguous", "outside-model")
ID_SYNTAX = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
KEY_LINE = re.compile(r"^(reading [a-z0-9][a-z0-9.-]*|[a-z][a-z-]*):(?:\s+(.*))?$")
READING_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
# anchor-behaviours.md section 5: A 1-13, B 14-18, C 19-23, D 24-31.
CHECKLIST = (["A%d" % n for n in range(1, 14)] + ["B%d" % n for n in range(14, 19)]
             + ["C%d" % n for n in range(19, 24)] + ["D%d" % n for n in range(24, 32)])


class Problem(Exception):
    pass


class Rule:
    def __init__(self, rule_id, title, section, line):
        self.id = rule_id
        self.title = title
        self.section = section
        self.line = line
        self.fields = {}           # key -> text
        self.readings = []         # [name, text]
        self.edges = []
        self.checklist = []
        self.vectors = []          # vector ids

    @property
    def status(self):
        return self.fields.get("status", "").strip()


def parse_catalogue(path, problems):
    """Returns (sections, rules by id); sections = [[title, [Rule]]]."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    sections = []
    rules = {}
    rule = None
    key, key_indent = None, 0
    for number, raw in enumerate(lines, 1):
        where = "%s:%d" % (path, number)
        line = raw.rstrip("\r")
        if not line.strip():
            key = None
            continue
        if line.startswith("#"):
            if line.startswith("# =="):
                sections.append([line[4:].strip(" ="), []])
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        if indent == 0:
            parts = line.split(None, 1)
            rule_id = parts[0]
            if not ID_SYNTAX.match(rule_id):
                problems.append("%s: '%s' is not a rule ID" % (where, rule_id))
            if rule_id in rules:
                problems.append("%s: rule %s listed twice (first at line %d)"
                                % (where, rule_id, rules[rule_id].line))
            if not sections:
                sections.append(["Rules", []])
            rule = Rule(rule_id, parts[1].strip() if len(parts) > 1 else "",
                        sections[-1][0], number)
            rules[rule_id] = rule
            sections[-1][1].append(rule)
            key = None
            continue
        if rule is None:
            problems.append("%s: an indented line before the first rule" % where)
            continue
        text = line.strip()
        match = KEY_LINE.match(text)
        if match and (key is None or indent <= key_indent):
            key, key_indent = match.group(1), indent
            value = (match.group(2) or "").strip()
            if key.startswith("reading "):
                rule.readings.append([key[len("reading "):], value])
            elif key == "edge":
                rule.edges.extend(v for v in re.split(r"[\s,]+", value) if v)
            elif key == "checklist":
                rule.checklist.extend(v for v in re.split(r"[\s,]+", value) if v)
            elif key in rule.fields:
                problems.append("%s: %s: key '%s' given twice" % (where, rule.id, key))
            else:
                rule.fields[key] = value
        elif key is not None and indent > key_indent:
            # A continuation: indented deeper than its key.
            if key.startswith("reading "):
                rule.readings[-1][1] = (rule.readings[-1][1] + " " + text).strip()
            elif key == "edge":
                rule.edges.extend(v for v in re.split(r"[\s,]+", text) if v)
            elif key == "checklist":
                rule.checklist.extend(v for v in re.split(r"[\s,]+", text) if v)
            else:
                rule.fields[key] = (rule.fields[key] + " " + text).strip()
        else:
            problems.append("%s: %s: expected 'key: value' (or a continuation "
                            "indented deeper than its key), got '%s'"
                            % (where, rule.id, text))
    return [s for s in sections if s[1]], rules


def check_records(path, rules, problems):
    for rule in rules.values():
        where = "%s:%d: %s" % (path, rule.line, rule.id)
        status = rule.status
        if status not in STATUSES:
            problems.append("%s: status must be one of %s, got '%s'"
                            % (where, " | ".join(STATUSES), status))
        for needed in ("statement", "source"):
            if not rule.fields.get(needed):
                problems.append("%s: no %s:" % (where, needed))
        names = [name for name, _ in rule.readings]
        for name in names:
            if not READING_NAME.match(name):
                problems.append("%s: reading name '%s' is not lower-case-with-dashes"
                                % (where, name))
        if len(set(names)) != len(names):
            problems.append("%s: a reading is named twice" % where)
        if status == "ambiguous" and len(names) < 2:
            problems.append("%s: ambiguous, but %d reading(s); name each "
                            "alternative with 'reading <name>:'" % (where, len(names)))
        elif names and len(names) < 2:
            problems.append("%s: a single reading; readings name alternatives" % where)
        if names:
            # `reference:` names the reading(s) the reference follows, and may
            # add which profiles take another one, in parentheses.
            ref = rule.fields.get("reference", "")
            chosen = re.split(r"[\s,]+", re.sub(r"\(.*?\)", "", ref).strip())
            if not ref or any(name not in names for name in chosen):
                problems.append("%s: 'reference: %s' must name its readings (%s)"
                                % (where, ref, ", ".join(names)))
        if status == "outside-model" and not rule.fields.get("why"):
            problems.append("%s: outside-model needs 'why:'" % where)
        for edge in rule.edges:
            if edge not in rules:
                problems.append("%s: edge: %s is not a rule" % (where, edge))
        for item in rule.checklist:
            if item not in CHECKLIST:
                problems.append("%s: checklist: %s is not an item A1-D31" % (where, item))


# ------------------------------------------------------------------ vectors

TOKEN = re.compile(r'\(|\)|"(?:[^"\\]|\\.)*"|[^\s()";]+')


def blank_comments(text):
    """Replaces ;; and (; ;) comments by spaces, keeping strings and line
    numbers, so token offsets still point into the file."""
    out = list(text)
    i, n, depth = 0, len(text), 0
    while i < n:
        if depth:
            if text.startswith(";)", i):
                depth -= 1
                out[i] = out[i + 1] = " "
                i += 2
            elif text.startswith("(;", i):
                depth += 1
                out[i] = out[i + 1] = " "
                i += 2
            else:
                if text[i] != "\n":
                    out[i] = " "
                i += 1
        elif text[i] == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif text.startswith(";;", i):
            while i < n and text[i] != "\n":
                out[i] = " "
                i += 1
        elif text.startswith("(;", i):
            depth += 1
            out[i] = out[i + 1] = " "
            i += 2
        else:
            i += 1
    return "".join(out)


class Atom(str):
    line = 0


def parse_forms(text):
    """Top-level s-expressions: nested lists of Atoms that know their line."""
    text = blank_comments(text)
    stack = [[]]
    line, last = 1, 0
    for m in TOKEN.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        token = m.group(0)
        if token == "(":
            # Each list starts with a '(' marker Atom that records its line.
            marker = Atom("(")
            marker.line = line
            stack.append([marker])
        elif token == ")":
            if len(stack) > 1:
                done = stack.pop()
                stack[-1].append(done)
        else:
            atom = Atom(token)
            atom.line = line
            stack[-1].append(atom)
    while len(stack) > 1:
        done = stack.pop()
        stack[-1].append(done)
    return stack[0]


def head(form):
    """The first atom after the '(' marker, or ''."""
    return form[1] if isinstance(form, list) and len(form) > 1 and isinstance(form[1], str) else ""


def unquote(atom):
    if len(atom) >= 2 and atom[0] == '"' and atom[-1] == '"':
        return re.sub(r"\\(.)", r"\1", atom[1:-1])
    return atom


class Vector:
    def __init__(self, vector_id, path):
        self.id = vector_id
        self.path = path
        self.title = ""
        self.rules = []            # [(id, line)]
        self.readings = []         # [(name, line)]
        self.header_line = 0


def find_one_of(form, found):
    if not isinstance(form, list):
        return
    if head(form) == "expect" and len(form) > 2 and form[2] == "one-of":
        for alternative in form[3:]:
            name = head(alternative)
            if name:
                found.append((str(name), name.line))
        return
    for child in form[2:] if len(form) > 1 else []:
        find_one_of(child, found)


def parse_vector(vector_id, path, problems):
    vector = Vector(vector_id, path)
    with open(path, encoding="utf-8") as f:
        forms = parse_forms(f.read())
    header = next((f for f in forms if head(f) == "vector"), None)
    if header is None:
        problems.append("%s:1: no (vector ...) header" % path)
        return vector
    vector.header_line = header[0].line
    for item in header[2:]:
        if isinstance(item, str):
            vector.title = unquote(item)
        elif head(item) == "rules":
            vector.rules.extend((str(a), a.line) for a in item[2:] if isinstance(a, str))
    for form in forms:
        find_one_of(form, vector.readings)
    return vector


def load_vectors(vectors_dir, problems):
    vectors = []
    for top, dirs, files in os.walk(vectors_dir):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".wast"):
                continue
            path = os.path.join(top, name)
            vector_id = os.path.relpath(path, vectors_dir)[:-len(".wast")]
            vectors.append(parse_vector(vector_id.replace(os.sep, "/"), path, problems))
    return vectors


def link(rules, vectors, problems):
    all_readings = {}
    for rule in rules.values():
        for name, _ in rule.readings:
            all_readings.setdefault(name, []).append(rule.id)
    for vector in vectors:
        if not vector.rules and vector.header_line:
            problems.append("%s:%d: the header names no rule" % (vector.path, vector.header_line))
        for rule_id, line in vector.rules:
            if rule_id not in rules:
                problems.append("%s:%d: unknown rule ID '%s' (not in suite/rules.txt)"
                                % (vector.path, line, rule_id))
            elif vector.id not in rules[rule_id].vectors:
                rules[rule_id].vectors.append(vector.id)
        own = {name for rule_id, _ in vector.rules if rule_id in rules
               for name, _ in rules[rule_id].readings}
        for name, line in vector.readings:
            if name in own:
                continue
            if name in all_readings:
                problems.append("%s:%d: reading '%s' belongs to %s, which the vector's "
                                "(rules ...) does not name" % (vector.path, line, name,
                                                                ", ".join(all_readings[name])))
            else:
                problems.append("%s:%d: reading '%s' is not in the catalogue (no rule of "
                                "the vector has 'reading %s:')" % (vector.path, line, name, name))


def check_coverage(path, rules, problems):
    for rule in rules.values():
        if rule.status != "outside-model" and not rule.vectors:
            problems.append("%s:%d: %s (%s) has no vector"
                            % (path, rule.line, rule.id, rule.status or "no status"))
    claimed = {}
    for rule in rules.values():
        # An outside-model rule claims its items too: the report lists them
        # as behaviours no vector can check.
        if rule.vectors or rule.status == "outside-model":
            for item in rule.checklist:
                claimed.setdefault(item, []).append(rule.id)
    for item in CHECKLIST:
        if item not in claimed:
            problems.append("%s: checklist item %s (anchor-behaviours.md section 5) is "
                            "claimed by no rule that has a vector (or is outside-model)" % (path, item))


def to_json(sections, rules, vectors):
    by_id = {v.id: v for v in vectors}
    out_sections = []
    for title, members in sections:
        out_rules = []
        for rule in members:
            record = {
                "id": rule.id,
                "title": rule.title,
                "status": rule.status,
                "statement": rule.fields.get("statement", ""),
                "source": rule.fields.get("source", ""),
                "readings": [{"name": n, "text": t} for n, t in rule.readings],
                "reference": rule.fields.get("reference"),
                "why": rule.fields.get("why"),
                "edges": rule.edges,
                "checklist": rule.checklist,
                "line": rule.line,
                "vectors": [{"id": v, "title": by_id[v].title, "path": by_id[v].path,
                             "readings": sorted({n for n, _ in by_id[v].readings
                                                 if n in {r for r, _ in rule.readings}})}
                            for v in rule.vectors],
            }
            extra = {k: v for k, v in rule.fields.items()
                     if k not in ("statement", "source", "status", "reference", "why")}
            if extra:
                record["fields"] = extra
            out_rules.append(record)
        out_sections.append({"title": title, "rules": out_rules})
    counts = {s: sum(1 for r in rules.values() if r.status == s) for s in STATUSES}
    in_model = [r for r in rules.values() if r.status != "outside-model"]
    return {
        "schema": "canmem-catalogue/1",
        "rules_total": len(rules),
        "by_status": counts,
        "in_model_with_vector": sum(1 for r in in_model if r.vectors),
        "in_model_total": len(in_model),
        "vectors_total": len(vectors),
        "checklist": {item: sorted(r.id for r in rules.values() if item in r.checklist)
                      for item in CHECKLIST},
        "sections": out_sections,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Read and check the requirement catalogue.")
    parser.add_argument("--rules", default=os.path.join(here, "rules.txt"))
    parser.add_argument("--vectors", default=os.path.join(os.path.dirname(here), "vectors"))
    parser.add_argument("--check", action="store_true", help="fail on any gap or bad reference")
    parser.add_argument("--json", metavar="FILE", help="write the catalogue as JSON ('-' = stdout)")
    parser.add_argument("--summary", action="store_true", help="print counts")
    args = parser.parse_args()

    problems = []
    try:
        sections, rules = parse_catalogue(args.rules, problems)
        vectors = load_vectors(args.vectors, problems)
    except (OSError, UnicodeDecodeError) as e:
        print("catalogue.py: %s" % e, file=sys.stderr)
        return 2
    check_records(args.rules, rules, problems)
    link(rules, vectors, problems)
    check_coverage(args.rules, rules, problems)

    if args.json:
        document = json.dumps(to_json(sections, rules, vectors), indent=1) + "\n"
        if args.json == "-":
            sys.stdout.write(document)
        else:
            with open(args.json, "w", encoding="utf-8") as f:
                f.write(document)
    if args.summary or not (args.check or args.json):
        in_model = [r for r in rules.values() if r.status != "outside-model"]
        print("%d rules in %d sections, %d vectors" % (len(rules), len(sections), len(vectors)))
        for status in STATUSES:
            print("  %-14s %d" % (status, sum(1 for r in rules.values() if r.status == status)))
        print("in-model rules with a vector: %d of %d"
              % (sum(1 for r in in_model if r.vectors), len(in_model)))
    if args.check:
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("catalogue.py: %d problem(s)" % len(problems), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
