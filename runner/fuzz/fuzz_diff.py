#!/usr/bin/env python3
"""fuzz-diff: generated vectors on every runtime (`make fuzz-diff`,
docs/fuzzing.md).

Generates COUNT vectors (runner/fuzz/generate.py, expectations from the
model of runner/fuzz/model.py), spread over the profiles, runs each
profile's batch on every runtime through runner/driver.py, and sorts every
vector a runtime did not pass:

  - every runtime that ran it fails the same step: the model disagrees
    with all of them (a bug of the model, or of the rule it follows): filed
    under findings/model;
  - otherwise each failing runtime is a finding, filed under
    findings/<runtime>, unless runner/fuzz/known-differences explains it.

Each finding is minimised first: steps are removed while the runtime still
fails (and, for a runtime finding, the reference still passes), with the
expectations recomputed by the model; what remains is written as a small
vector. Exit status: 0 when there is no finding, 1 otherwise, 2 for usage
errors.

    fuzz_diff.py --seed 1 --count 60 --out fuzz-diff \\
        --runtime canmem-ref=ref --runtime v8=path/to/v8-adapter.so
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402

DEFAULT_PROFILES = ("small-limits", "ic-current", "alternative-readings",
                    "ic-2021", "ic-2022", "ic-2025")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=60,
                   help="vectors in all (spread over the profiles)")
    p.add_argument("--first", type=int, default=0,
                   help="index of the first vector (to resume a batch)")
    p.add_argument("--profile", action="append", default=[])
    p.add_argument("--runtime", action="append", default=[],
                   metavar="NAME=ADAPTER")
    p.add_argument("--out", default="fuzz-diff")
    p.add_argument("--canmem-run", required=True)
    p.add_argument("--suite", required=True)
    p.add_argument("--known", default=os.path.join(HERE, "known-differences"))
    p.add_argument("-j", "--jobs", type=int, default=1)
    p.add_argument("--timeout", type=int, default=60,
                   help="seconds per vector and runtime")
    p.add_argument("--no-minimise", action="store_true")
    a = p.parse_args(argv)
    a.profile = a.profile or list(DEFAULT_PROFILES)
    a.runtime = a.runtime or ["canmem-ref=ref"]
    a.runtimes = dict(r.split("=", 1) for r in a.runtime)
    return a


def load_known(path):
    """RUNTIME  REGEX  REASON lines: a failure of RUNTIME whose text
    (expected, actual, reason, message) matches REGEX is known."""
    known = []
    if not os.path.isfile(path):
        return known
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if len(parts) != 3:
                sys.exit("{}:{}: want RUNTIME REGEX REASON".format(path, n))
            known.append((parts[0], re.compile(parts[1]), parts[2]))
    return known


def failure_text(v):
    f = v.get("failure") or {}
    return " | ".join(str(x) for x in (
        v.get("outcome"), v.get("reason"), f.get("kind"), f.get("expected"),
        f.get("actual"), f.get("message")) if x)


def explained(known, runtime, v):
    text = failure_text(v)
    for rt, rx, reason in known:
        if rt == runtime and rx.search(text):
            return reason
    return None


class Batch:
    def __init__(self, a):
        self.a = a
        self.known = load_known(a.known)
        self.findings = []
        self.counts = {}

    def driver(self, profile, path, out, runtimes=None):
        cmd = [sys.executable, os.path.join(HERE, "..", "driver.py"),
               "--canmem-run", self.a.canmem_run, "--suite", self.a.suite,
               "-j", str(self.a.jobs), "--out", out, "--quiet",
               "--timeout", str(self.a.timeout), "--profile", profile]
        for name in runtimes or self.a.runtimes:
            cmd += ["--runtime", "{}={}".format(name, self.a.runtimes[name])]
        subprocess.run(cmd + [path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        with open(out) as f:
            return json.load(f)

    def run_one(self, profile, runtime, text, scratch):
        """Outcome object of one vector text on one runtime."""
        path = os.path.join(scratch, "try.wast")
        with open(path, "w") as f:
            f.write(text)
        out = os.path.join(scratch, "try.json")
        cmd = [self.a.canmem_run, "--suite", self.a.suite, "--profile",
               profile, "--timeout", str(self.a.timeout), "--json", out]
        if self.a.runtimes[runtime] != "ref":
            cmd += ["--adapter", self.a.runtimes[runtime]]
        subprocess.run(cmd + [path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        try:
            with open(out) as f:
                return json.load(f)["vectors"][0]
        except (OSError, ValueError, IndexError, KeyError):
            return {"outcome": "error", "reason": "canmem-run gave no result"}

    # ---- minimising ----
    def minimise(self, profile, runtime, scenario, title, model_finding):
        variants, lowmem, steps = scenario
        scratch = os.path.join(self.a.out, "scratch")
        os.makedirs(scratch, exist_ok=True)
        ref = next(iter(self.a.runtimes))

        def fails(cand):
            text = generate.render(title, profile, variants, lowmem, cand)
            v = self.run_one(profile, runtime, text, scratch)
            if v["outcome"] not in ("fail", "error"):
                return False
            if model_finding or runtime == ref:
                return True
            return self.run_one(profile, ref, text, scratch)["outcome"] == \
                "pass"

        if not fails(steps):
            return steps, False
        # cut after the failing step first, then drop steps one at a time
        v = self.run_one(profile, runtime, generate.render(
            title, profile, variants, lowmem, steps), scratch)
        at = (v.get("failure") or {}).get("step")
        if at and at < len(steps) and fails(steps[:at]):
            steps = steps[:at]
        i = len(steps) - 2
        while i >= 0:
            cand = steps[:i] + steps[i + 1:]
            if cand and fails(cand):
                steps = cand
            i -= 1
        return steps, True

    def file(self, where, name, profile, scenario, steps, title, why):
        variants, lowmem, _ = scenario
        d = os.path.join(self.a.out, "findings", where)
        os.makedirs(d, exist_ok=True)
        text = generate.render(title, profile, variants, lowmem, steps,
                               notes=[why.replace('"', "'")[:300]])
        path = os.path.join(d, name + ".wast")
        with open(path, "w") as f:
            f.write(text)
        self.findings.append({"where": where, "vector": path,
                              "profile": profile, "why": why})

    # ---- one profile ----
    def profile_batch(self, profile, indices):
        a = self.a
        folder = os.path.join(a.out, "batch", profile)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        scenarios = {}
        for i in indices:
            sc = generate.generate(a.suite, profile, a.seed, i)
            name = "s{}-{}".format(a.seed, i)
            title = "fuzz-diff seed {} vector {} ({})".format(
                a.seed, i, profile)
            scenarios[name] = (sc, title)
            with open(os.path.join(folder, name + ".wast"), "w") as f:
                f.write(generate.render(title, profile, *sc))
        res = self.driver(profile, folder,
                          os.path.join(a.out, "results-{}.json".format(
                              profile)))
        by_vector = {}
        for run in res["runs"]:
            c = self.counts.setdefault(run["runtime"], {})
            for v in run["vectors"]:
                c[v["outcome"]] = c.get(v["outcome"], 0) + 1
                by_vector.setdefault(os.path.basename(v["id"]), {})[
                    run["runtime"]] = v
        for p in res.get("problems", []):
            print("fuzz-diff: {} {}: {}".format(p["runtime"], p["profile"],
                                                p["problem"]),
                  file=sys.stderr)
        for name, per in sorted(by_vector.items()):
            bad = {rt: v for rt, v in per.items()
                   if v["outcome"] in ("fail", "error")}
            if not bad:
                continue
            sc, title = scenarios[name]
            sigs = {(v.get("failure") or {}).get("step") for v in bad.values()}
            ran = [rt for rt, v in per.items() if v["outcome"] != "skip"]
            model_finding = len(bad) == len(ran) and len(sigs) == 1
            if model_finding:
                self.report(profile, "model", name, sc, title, bad, True)
                continue
            for rt, v in bad.items():
                reason = explained(self.known, rt, v)
                if reason:
                    c = self.counts[rt]
                    c["known"] = c.get("known", 0) + 1
                    continue
                self.report(profile, rt, name, sc, title, {rt: v}, False)

    def report(self, profile, where, name, sc, title, bad, model_finding):
        rt = next(iter(bad))
        why = "{}: {}".format(rt, failure_text(bad[rt]))
        steps = sc[2]
        if not self.a.no_minimise:
            steps, still = self.minimise(profile, rt, sc, title,
                                         model_finding)
            if not still:
                why += " (did not fail again alone: flaky or order-bound)"
        print("fuzz-diff: finding ({}) {} {}: {}".format(
            where, profile, name, why), file=sys.stderr)
        self.file(where, "{}-{}".format(profile, name), profile, sc, steps,
                  title + ", minimised", why)


def main(argv):
    a = parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    b = Batch(a)
    start = time.time()
    shutil.rmtree(os.path.join(a.out, "findings"), ignore_errors=True)
    per = {p: [] for p in a.profile}
    for k in range(a.first, a.first + a.count):
        per[a.profile[k % len(a.profile)]].append(k)
    for profile in a.profile:
        if per[profile]:
            b.profile_batch(profile, per[profile])
    summary = {"seed": a.seed, "count": a.count, "first": a.first,
               "profiles": a.profile, "runtimes": list(a.runtimes),
               "duration_s": round(time.time() - start, 1),
               "outcomes": b.counts, "findings": b.findings}
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    for rt, c in b.counts.items():
        print("fuzz-diff: {}: {}".format(
            rt, ", ".join("{} {}".format(v, k) for k, v in sorted(c.items()))))
    print("fuzz-diff: {} vectors x {} runtimes in {:.0f} s, {} findings{}"
          .format(a.count, len(a.runtimes), time.time() - start,
                  len(b.findings),
                  " under " + os.path.join(a.out, "findings")
                  if b.findings else ""))
    return 1 if b.findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
