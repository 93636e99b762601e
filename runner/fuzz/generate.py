"""fuzz-diff: random but readable vectors, with expectations from the
independent model of runner/fuzz/model.py (never from running a runtime).

A scenario is a list of steps over one generated canister (MODULE below, in
a few variants: wasm32 or wasm64, hooks that trap or write). Each step is
(kind, ...) data; render() writes the vector text and runs the model to
fill in each step's expectation. The same data, cut down, is what the
minimiser (fuzz_diff.py) works on. One vector is meant for one profile:
its numbers are the profile's, and it is run only under it.
"""
import random

import model
from model import PAGE, U64

STEP_METHODS = ("sgrow", "ssize", "sgrow32", "ssize32", "swrite", "sread",
                "swrite32", "sread32", "hgrow", "hsize", "hstore", "hload", "hcopy", "fail")
QUERIES = {"ssize", "ssize32", "hsize", "hload", "sread-q", "qgrow",
           "lmruns"}


def module_text(m, lowmem):
    """The wat of a variant; every method reads i64 arguments at 0, 8, 16."""
    i = "i64" if m.wasm64 else "i32"
    a = ("(call $arg_i64 (i32.const {}))" if m.wasm64 else
         "(i32.wrap_i64 (call $arg_i64 (i32.const {})))")
    mem = "(memory {}{} {}{})".format(
        "i64 " if m.wasm64 else "", m.init_pages,
        "" if m.max_pages is None else m.max_pages, "").replace("  ", " ")
    mem = mem.replace(" )", ")")
    lines = [
        "(module ${}".format(m.name),
        "  " + mem,
        '  (data ({}.const {}) "{}")'.format(
            i, model.DATA, model.PATTERN.decode()),
    ]
    if m.eop:
        lines.append('  (@custom "icp:private enhanced-orthogonal-persistence"'
                     ' "")')
    if m.tasks:
        lines += [
            "  ;; the system tasks count their runs in a heap byte, then trap",
            "  ;; when stable memory has an odd number of pages",
            "  (func $tick",
            "    (i32.store8 ({i}.const {t}) (i32.add (i32.load8_u "
            "({i}.const {t})) (i32.const 1)))".format(i=i, t=model.TICK),
            "    (if (i64.eq (i64.rem_u (call $ic0.stable64_size) "
            "(i64.const 2)) (i64.const 1))",
            "      (then (unreachable))))",
            '  (func (export "canister_heartbeat") (call $tick))',
            '  (func (export "canister_global_timer") (call $tick))',
            '  (func (export "canister_update arm")',
            "    (call $reply_i64 (call $ic0.global_timer_set "
            "(call $arg_i64 (i32.const 0)))))",
        ]
    if m.inspect:
        lines += [
            "  ;; changes what it can, none of it kept; then accepts, does",
            "  ;; not accept or traps as arg 0 mod 3 says",
            '  (func (export "canister_inspect_message")',
            "    (i32.store8 ({}.const {}) (i32.const 0x7a))".format(
                i, model.TICK),
            "    (drop (call $ic0.stable64_grow (i64.const 1)))",
            "    (if (i64.eq (i64.rem_u (call $arg_i64 (i32.const 0)) "
            "(i64.const 3)) (i64.const 2))",
            "      (then (unreachable)))",
            "    (if (i64.eq (i64.rem_u (call $arg_i64 (i32.const 0)) "
            "(i64.const 3)) (i64.const 0))",
            "      (then (call $ic0.accept_message))))",
        ]
    if lowmem:
        lines += [
            "  (global $lm (mut i64) (i64.const 0))",
            '  (func (export "canister_on_low_wasm_memory")',
            "    (global.set $lm (i64.add (global.get $lm) (i64.const 1))))",
            '  (func (export "canister_query lmruns")',
            "    (call $reply_i64 (global.get $lm)))",
        ]
    if m.pre_trap:
        lines.append('  (func (export "canister_pre_upgrade") (unreachable))')
    elif m.pre_writes:
        lines += [
            '  (func (export "canister_pre_upgrade")',
            "    (if (i64.gt_u (call $ic0.stable64_size) (i64.const 0))",
            "      (then (call $ic0.stable64_write (i64.const 0) "
            "(i64.const {}) (i64.const 4)))))".format(model.DATA)]
    if m.post_trap:
        lines.append('  (func (export "canister_post_upgrade") '
                     '(unreachable))')
    lines += [
        '  (func (export "canister_update sgrow")',
        "    (call $reply_i64 (call $ic0.stable64_grow "
        "(call $arg_i64 (i32.const 0)))))",
        '  (func (export "canister_query ssize")',
        "    (call $reply_i64 (call $ic0.stable64_size)))",
        '  (func (export "canister_update swrite")',
        "    (call $ic0.stable64_write (call $arg_i64 (i32.const 0))",
        "      (call $arg_i64 (i32.const 8)) (call $arg_i64 (i32.const 16)))",
        "    (call $reply_empty))",
    ]
    for kind, name in (("update", "sread"), ("query", "sread-q")):
        lines += [
            '  (func (export "canister_{} {}")'.format(kind, name),
            "    (call $ic0.stable64_read (call $arg_i64 (i32.const 0))",
            "      (call $arg_i64 (i32.const 8)) "
            "(call $arg_i64 (i32.const 16)))",
            "    (call $reply_data {} {}))".format(a.format(0), a.format(16)),
        ]
    if not m.wasm64:
        lines += [
            '  (func (export "canister_update sgrow32")',
            "    (call $reply_i32 (call $ic0.stable_grow "
            "(call $arg_i32 (i32.const 0)))))",
            '  (func (export "canister_query ssize32")',
            "    (call $reply_i32 (call $ic0.stable_size)))",
            '  (func (export "canister_update swrite32")',
            "    (call $ic0.stable_write {} {} {})".format(
                a.format(0), a.format(8), a.format(16)),
            "    (call $reply_empty))",
            '  (func (export "canister_update sread32")',
            "    (call $ic0.stable_read {} {} {})".format(
                a.format(0), a.format(8), a.format(16)),
            "    (call $reply_data {} {}))".format(a.format(0), a.format(16)),
        ]
    lines += [
        '  (func (export "canister_update hgrow")',
        "    (call $reply_{} (memory.grow {})))".format(i, a.format(0)),
        '  (func (export "canister_query hsize")',
        "    (call $reply_{} (memory.size)))".format(i),
        '  (func (export "canister_update hstore")',
        "    (i32.store8 {} (call $arg_i32 (i32.const 8)))".format(
            a.format(0)),
        "    (call $reply_empty))",
        '  (func (export "canister_query hload")',
        "    (call $reply_i32 (i32.load8_u {})))".format(a.format(0)),
        '  (func (export "canister_update hcopy")',
        "    (memory.copy {} {} {})".format(a.format(0), a.format(8),
                                            a.format(16)),
        "    (call $reply_empty))",
        "  ;; a query's changes are discarded",
        '  (func (export "canister_query qgrow")',
        "    (drop (call $ic0.stable64_grow (i64.const 1)))",
        "    (drop (memory.grow ({}.const 1)))".format(i),
        "    (i32.store8 ({}.const {}) (i32.const 0x7a))".format(
            i, model.DATA),
        "    (call $reply_i64 (call $ic0.stable64_size)))",
        "  ;; changes stable memory and the heap, then traps as arg 0 says",
        '  (func (export "canister_update fail")',
        "    (drop (call $ic0.stable64_grow (i64.const 1)))",
        "    (if (i64.ge_u (call $ic0.stable64_size) (i64.const 1))",
        "      (then (call $ic0.stable64_write (i64.const 0) (i64.const {}) "
        "(i64.const 8))))".format(model.DATA),
        "    (drop (memory.grow ({}.const 1)))".format(i),
        "    (i32.store8 ({}.const {}) (i32.const 0x7a))".format(
            i, model.DATA),
        "    (if (i64.eq (i64.rem_u (call $arg_i64 (i32.const 0)) "
        "(i64.const 3)) (i64.const 0))",
        "      (then (unreachable)))",
        "    (if (i64.eq (i64.rem_u (call $arg_i64 (i32.const 0)) "
        "(i64.const 3)) (i64.const 1))",
        "      (then (call $ic0.trap ({}.const {}) ({}.const 4))))".format(
            i, model.DATA, i),
        "    (drop (i32.load ({}.const -1))))".format(i),
        ")",
    ]
    return "\n".join(lines)


class Gen:
    """Random scenarios for one profile."""

    def __init__(self, profile, rng):
        self.p = profile
        self.r = rng
        self.big = profile["max_heap_wasm32"] > 64 * PAGE
        # the address an upgrade's heap is looked at: the last one stored
        self.last_store = (str(model.DATA), model.DATA)
        self.features = {k[8:] for k, v in profile.items()
                         if k.startswith("feature.") and v is True}

    def variants(self, lowmem, tasks=False):
        wasm64 = "wasm64" in self.features and self.r.random() < 0.35
        key = "max_heap_wasm64" if wasm64 else "max_heap_wasm32"
        top = self.p[key] // PAGE
        init = self.r.choice([1, 1, 2])
        maxp = None
        if self.r.random() < 0.3:
            maxp = min(top, init + self.r.choice([0, 1, 3]))
        eop = "wasm_memory_persistence" in self.features and \
            self.r.random() < 0.4
        out = []
        for n in range(1 if lowmem else self.r.choice([1, 2, 2, 3])):
            pre_trap = n > 0 and self.r.random() < 0.25
            out.append(model.Module(
                "v{}".format(n + 1), wasm64, init, maxp, pre_trap,
                n > 0 and self.r.random() < 0.2,
                not pre_trap and self.r.random() < 0.5,
                eop and self.r.random() < 0.7, tasks,
                tasks and self.r.random() < 0.7))
        return out

    # ---- values near boundaries, as (text, value) ----
    def pages_arg(self, c, key):
        """A grow request near a limit of pages."""
        r = self.r
        if key == "stable":
            size = len(c.stable) // PAGE
            limits = [("(pages max_stable_memory)", c.max_stable_pages()),
                      ("(pages max_stable_memory_32)",
                       c.max_stable32_pages())]
        else:
            size = len(c.heap) // PAGE
            top = c.heap_max_pages()
            name = "(pages max_heap_wasm{})".format(
                64 if c.module.wasm64 else 32)
            # the module's own declared maximum is written as a number
            if c.module.max_pages is not None and top == c.module.max_pages:
                name = str(top)
            limits = [(name, top)]
        choice = r.random()
        if choice < 0.45:
            n = r.choice([0, 1, 1, 2, 3])
            return (str(n), n)
        if choice < 0.55:
            return r.choice([("-1", U64), ("0x8000_0000", 1 << 31),
                             ("0xffff_ffff", 0xffffffff),
                             ("(- 0 {})".format(size), (-size) & U64)])
        text, top = r.choice(limits)
        d = r.choice([-1, 0, 1])
        value = top - size + d
        if value < 0:
            return ("0", 0)
        # big profiles: only the request that fails (nothing allocated)
        if self.big and value + size <= top and value > 4:
            value = top - size + 1
            d = 1
        t = "(- {} {})".format(text, size) if d == 0 else \
            "(+ (- {} {}) {})".format(text, size, d) if d > 0 else \
            "(- {} {} {})".format(text, size, -d)
        if d < 0:
            t = "(- {} {})".format(text, size - d)
        return (t, value)

    def offset_arg(self, length, width=8):
        """An offset or size near the end of a memory of `length` bytes."""
        r = self.r
        choice = r.random()
        if choice < 0.4:
            v = r.choice([0, model.SCRATCH, model.DATA, 100, 4096, PAGE - 4])
        elif choice < 0.8:
            v = max(0, length - r.choice([0, 1, 4, 8, 16, 32]))
        elif choice < 0.9:
            v = length + r.choice([0, 1, 8])
        else:
            v = r.choice([U64, 1 << 32, (1 << 32) - 1, 1 << 63])
        return (str(v) if v < (1 << 62) else hex(v), v)

    def size_arg(self):
        r = self.r
        if r.random() < 0.9:
            v = r.choice([0, 1, 4, 8, 16, 32])
        else:
            v = r.choice([U64, 1 << 32, (1 << 32) + 8])
        return (str(v) if v < (1 << 62) else hex(v), v)

    def keep_out_of_scratch(self, ranges, wrap=False):
        """Moves heap addresses away from the helpers' scratch bytes, also
        where a wasm32 module wraps them to 32 bits (wrap)."""
        out = []
        for t, v in ranges:
            eff = v & 0xffffffff if wrap else v
            if eff < model.SCRATCH:
                v += model.SCRATCH
                t = str(v)
            out.append((t, v))
        return out

    def call_step(self, c):
        r = self.r
        m = c.module
        methods = list(STEP_METHODS)
        if m.wasm64:
            methods = [x for x in methods if not x.endswith("32")]
        name = r.choice(methods + ["sread-q", "qgrow"])
        hb, sb = len(c.heap), len(c.stable)
        args = []
        if name in ("sgrow", "sgrow32"):
            args = [self.pages_arg(c, "stable")]
        elif name == "hgrow":
            args = [self.pages_arg(c, "heap")]
        elif name in ("swrite", "swrite32"):
            args = [self.offset_arg(sb), self.offset_arg(hb), self.size_arg()]
            args[1:2] = self.keep_out_of_scratch(args[1:2],
                                                 name == "swrite32")
        elif name in ("sread", "sread-q", "sread32"):
            args = [self.offset_arg(hb), self.offset_arg(sb), self.size_arg()]
            args[0:1] = self.keep_out_of_scratch(args[0:1],
                                                 name == "sread32")
        elif name in ("hstore", "hload"):
            args = self.keep_out_of_scratch([self.offset_arg(hb)],
                                            not m.wasm64)
            args.append((str(n := r.randrange(256)), n))
            if name == "hstore":
                self.last_store = args[0]
        elif name == "hcopy":
            args = self.keep_out_of_scratch(
                [self.offset_arg(hb), self.offset_arg(hb)], not m.wasm64)
            args.append(self.size_arg())
        elif name == "fail":
            args = [(str(n := r.randrange(3)), n)]
        kind = "query" if name in QUERIES else "update"
        if kind == "query" and name != "qgrow" and r.random() < 0.15:
            kind = "replicated-query"
        return ("call", kind, name, args)

    def scenario(self, length):
        r = self.r
        lowmem = ("low_memory_hook" in self.features and
                  "wasm_memory_limit" in self.features and r.random() < 0.2)
        # heartbeat and global timer, apart from the hook's scenarios
        self.tasks = not lowmem and r.random() < 0.3
        variants = self.variants(lowmem, self.tasks)
        c = model.Canister(self.p)
        steps = []
        if lowmem:
            limit = (variants[0].init_pages + r.choice([1, 2, 3])) * PAGE
            thr = r.choice([PAGE, 2 * PAGE, 2 * PAGE + 1, 3 * PAGE])
            steps.append(("settings", limit, thr))
        steps.append(("install", variants[0].name, None))
        self.apply(c, variants, steps)
        while len(steps) < length:
            step = self.next_step(c, variants, lowmem)
            more = [step]
            # a heap keep can be told from a fresh one
            if step[0] == "upgrade" and step[3] == "keep" and \
                    r.random() < 0.7:
                n = r.randrange(256)
                self.last_store = (str(model.DATA + 1), model.DATA + 1)
                more.insert(0, ("call", "update", "hstore",
                                [self.last_store, (str(n), n)]))
            # look at the heap an upgrade kept or replaced (EOP-1, EOP-5)
            # mostly arm the timer before its task, so that it runs
            if step[:2] == ("task", "global_timer") and c.timer == 0 and \
                    r.random() < 0.6:
                n = r.choice([1, 2, 3])
                more.insert(0, ("call", "update", "arm", [(str(n), n)]))
            if step[0] == "task" and step[1] != "on_low_wasm_memory" and \
                    r.random() < 0.6:
                more.append(("call", "query", "hload",
                             [(str(model.TICK), model.TICK)]))
            if step[0] == "upgrade" and r.random() < 0.7:
                more += [("call", "query", "hsize", []),
                         ("call", "query", "hload", [self.last_store])]
            for s in more:
                steps.append(s)
                self.apply(c, variants, [s])
        return variants, lowmem, steps

    def next_step(self, c, variants, lowmem):
        r = self.r
        x = r.random()
        if c.module is None:
            if x < 0.6:
                return ("install", r.choice(variants).name, None)
            return self.call_step_empty()
        if lowmem:
            if x < 0.15:
                return ("task", "on_low_wasm_memory")
            if x < 0.25:
                return ("call", "query", "lmruns", [])
            if x < 0.35:
                lim = len(c.heap) + r.choice([-1, 0, 1, PAGE, 2 * PAGE])
                thr = r.choice([None, PAGE, 2 * PAGE, 2 * PAGE + 1])
                return ("settings", max(lim, PAGE), thr)
            return self.call_step(c)
        if self.tasks and x < 0.12:
            return ("task", r.choice(["heartbeat", "global_timer"]))
        if self.tasks and x < 0.15:
            n = r.randrange(3)
            return ("inspect", r.choice(["hstore", "swrite"]), [(str(n), n)])
        if self.tasks and x < 0.2:
            n = r.choice([0, 1, 1, 2, 3])
            return ("call", "update", "arm", [(str(n), n)])
        if x < 0.08 and "wasm_memory_limit" in self.features:
            lim = r.choice([0, len(c.heap) - 1, len(c.heap),
                            len(c.heap) + PAGE, len(c.heap) + 2 * PAGE + 1,
                            self.p["max_wasm_memory_limit"],
                            self.p["max_wasm_memory_limit"] + 1])
            return ("settings", lim, None)
        if x < 0.2:
            v = r.choice(variants).name
            mode = r.choice(["upgrade", "upgrade", "reinstall", "install"])
            skip = None
            if mode == "upgrade" and "skip_pre_upgrade" in self.features \
                    and r.random() < 0.3:
                skip = r.random() < 0.7
            persist = None
            if mode == "upgrade" and \
                    "wasm_memory_persistence" in self.features:
                persist = r.choice([None, "keep", "keep", "replace"])
                # mostly into a module that can keep, so that keep succeeds
                eops = [x.name for x in variants if x.eop]
                if persist == "keep" and eops and r.random() < 0.8:
                    v = r.choice(eops)
            return (mode, v, skip, persist)
        if x < 0.23:
            return ("uninstall",)
        if x < 0.35:
            return r.choice([("probe", "stable-size"), ("probe", "heap-size")])
        return self.call_step(c)

    def call_step_empty(self):
        return ("call", self.r.choice(["update", "query"]), "ssize", [])

    def apply(self, c, variants, steps):
        """Runs steps on the model; returns their outcomes."""
        byname = {v.name: v for v in variants}
        outs = []
        for s in steps:
            outs.append(run_step(c, byname, s))
        return outs


def run_step(c, byname, s):
    kind = s[0]
    if kind in ("install", "reinstall", "upgrade"):
        return c.install(kind, byname[s[1]], skip_pre=bool(s[2]),
                         persist=s[3] if len(s) > 3 else None)
    if kind == "uninstall":
        return c.install("uninstall", None)
    if kind == "settings":
        return c.settings(s[1], s[2])
    if kind == "inspect":
        return c.inspect_message([v for _, v in s[2]])
    if kind == "task":
        if s[1] == "on_low_wasm_memory":
            return c.low_memory_task()
        return c.tick_task(s[1])
    if kind == "probe":
        if s[1] == "stable-size":
            return ("reply", model.le(len(c.stable) // PAGE, 8))
        return ("reply", model.le(len(c.heap) // PAGE, 8))
    if kind == "call":
        method = s[2]
        vals = [v for _, v in s[3]] + [0, 0, 0]
        ckind = s[1]
        if method in ("sread-q", "qgrow", "lmruns"):
            if method == "qgrow":
                saved = c.save()
                c.m_sgrow([1])
                out = len(c.stable) // PAGE
                c.restore(saved)
                if c.module is None:
                    return ("reject", "destination-invalid", "canister-empty")
                return ("reply", model.le(out, 8))
            method = {"sread-q": "sread"}.get(method, method)
        # a query method called as update, or the other way round
        is_query = s[2] in QUERIES
        if c.module is not None and is_query != (ckind != "update"):
            return ("reject", "destination-invalid", "method-not-found")
        return c.call(ckind, method, vals)
    raise ValueError(kind)


# ---- rendering ----

def render_outcome(o, numeric=True):
    if o[0] == "reply":
        data = o[1]
        if not data:
            return "(expect reply (bytes \"\"))"
        if numeric and len(data) in (4, 8):
            return "(expect reply (i{} {}))".format(
                8 * len(data), int.from_bytes(data, "little"))
        return "(expect reply (bytes \"{}\"))".format(
            "".join("\\{:02x}".format(b) for b in data))
    if o[0] == "reject":
        return "(expect reject {} {})".format(o[1], o[2])
    if o[0] == "trap":
        return "(expect trap {})".format(o[1])
    if o[0] == "no-reply":
        return "(expect no-reply)"
    if o[0] == "install-rejected":
        return "(expect install-rejected{})".format(
            " " + o[1] if o[1] else "")
    raise ValueError(o)


def render_step(s):
    kind = s[0]
    if kind in ("install", "reinstall"):
        return "({} ${})".format(kind, s[1])
    if kind == "upgrade":
        opt = "" if s[2] is None else " (skip_pre_upgrade {})".format(
            "true" if s[2] else "false")
        if len(s) > 3 and s[3] is not None:
            opt += " (wasm_memory_persistence {})".format(s[3])
        return "(upgrade ${}{})".format(s[1], opt)
    if kind == "uninstall":
        return "(uninstall)"
    if kind == "settings":
        parts = []
        if s[1] is not None:
            parts.append("(wasm_memory_limit {})".format(s[1]))
        if s[2] is not None:
            parts.append("(wasm_memory_threshold {})".format(s[2]))
        return "(settings {})".format(" ".join(parts))
    if kind == "task":
        return "(system-task {})".format(s[1])
    if kind == "inspect":
        args = "".join(" (i64 {})".format(t) for t, _ in s[2])
        return "(inspect-message \"{}\" (arg{}))".format(s[1], args)
    if kind == "probe":
        return "(probe {})".format(s[1])
    if kind == "call":
        args = "".join(" (i64 {})".format(t) for t, _ in s[3])
        return "({} \"{}\"{})".format(s[1], s[2],
                                      " (arg{})".format(args) if args else "")
    raise ValueError(kind)


RULES = ("SM64-GROW-1 SM64-GROW-3 SM64-WRITE-2 SM64-READ-2 SM32-GROW-3 "
         "SM32-SIZE-2 SM32-WRITE-2 SM32-WRITE-3 SM32-WRITE-4 SM32-READ-2 "
         "SM32-READ-3 SM32-READ-4 SM-5 HEAP-4 HEAP-5 HEAP-6 TXN-1 TXN-2 "
         "UPG-1 UPG-4 INST-1 INST-2 LOW-3 LOW-4 EDGE-ORDER "
         "EOP-1 EOP-2 EOP-3 EOP-4 EOP-5 TXN-11 UPG-2 EDGE-TIMER-TRAP "
         "TXN-9 MSG-INSPECT-1")


def render(title, profile_name, variants, lowmem, steps, notes=()):
    """The vector text; expectations come from running the model."""
    c = model.Canister(PROFILES_CACHE[profile_name])
    byname = {v.name: v for v in variants}
    used = {s[1] for s in steps if s[0] in ("install", "reinstall",
                                            "upgrade")}
    out = ['(vector "{}"'.format(title),
           "  (rules {})".format(RULES),
           "  (tags fuzz-diff)",
           '  (notes "generated by runner/fuzz (model runner/fuzz/model.py)"',
           '         "for the profile {}: run it with --profile {}"{}))'
           .format(profile_name, profile_name,
                   "".join('\n         "{}"'.format(n) for n in notes)),
           ""]
    for v in variants:
        if v.name in used:
            out.append(module_text(v, lowmem))
            out.append("")
    for s in steps:
        o = run_step(c, byname, s)
        numeric = not (s[0] == "call" and s[2].startswith("sread"))
        expect = render_outcome(o, numeric)
        if s[0] == "inspect" and o[0] == "reply":
            expect = "(expect reply)"  # accepted: no reply bytes
        out.append("{}  {}".format(render_step(s), expect))
    return "\n".join(out) + "\n"


PROFILES_CACHE = {}


def load_profile(suite, name):
    if name in PROFILES_CACHE:
        return PROFILES_CACHE[name]
    import os
    base = {}
    with open(os.path.join(suite, "profiles", "ic-current.profile")) as f:
        base = model.parse_profile(f.read())
    with open(os.path.join(suite, "profiles", name + ".profile")) as f:
        p = model.parse_profile(f.read(), base)
    PROFILES_CACHE[name] = p
    return p


def generate(suite, profile_name, seed, index, length=None):
    """One scenario: (variants, lowmem, steps), reproducible from the seed
    and the index."""
    rng = random.Random("{}:{}:{}".format(seed, profile_name, index))
    g = Gen(load_profile(suite, profile_name), rng)
    return g.scenario(length or rng.randrange(4, 24))
