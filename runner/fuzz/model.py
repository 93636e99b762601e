"""fuzz-diff: a small model of the canister memory rules, written for the
generator (runner/fuzz/generate.py) from ../shared/reference/ic-memory-rules.md
and independent of the reference model (ref/canister). It knows only what
the generated canister (generate.py, MODULE) does.

Outcomes are tuples the generator writes as expectations:
("reply", bytes), ("reject", code, category), ("trap", category),
("no-reply",), ("install-rejected", category).
"""

import os

PAGE = 65536
U64 = (1 << 64) - 1

UNITS = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
         "pages": PAGE}


def parse_profile(text, into=None):
    """key = value lines with # comments, as suite/profiles/ has them."""
    p = dict(into or {})
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        key, value = (s.strip() for s in line.split("=", 1))
        words = value.split()
        if len(words) == 2 and words[1] in UNITS:
            p[key] = int(words[0], 0) * UNITS[words[1]]
        elif value in ("yes", "no"):
            p[key] = value == "yes"
        else:
            try:
                p[key] = int(value, 0)
            except ValueError:
                p[key] = value
    return p


class Module:
    """One variant of the generated canister."""

    def __init__(self, name, wasm64, init_pages, max_pages, pre_trap,
                 post_trap, pre_writes, eop=False, tasks=False,
                 inspect=False):
        self.name = name
        self.wasm64 = wasm64
        self.init_pages = init_pages
        self.max_pages = max_pages  # declared maximum or None
        self.pre_trap = pre_trap
        self.post_trap = post_trap
        self.pre_writes = pre_writes  # pre_upgrade writes PATTERN[:4] at 0
        # has the custom section icp:private enhanced-orthogonal-persistence
        self.eop = eop
        # exports canister_heartbeat, canister_global_timer (both TICK) and
        # the update "arm" (global_timer_set)
        self.tasks = tasks
        # exports canister_inspect_message: scribbles, then accepts, does
        # not accept or traps as arg 0 mod 3 says
        self.inspect = inspect


# The bytes of the data segment at heap address DATA.
DATA = 1024
PATTERN = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
# Heap bytes [0, SCRATCH) belong to the prelude's helpers: their content
# is unknown to the model, so the generator keeps data operations above.
SCRATCH = 16
# The heap byte the system tasks count their runs in.
TICK = DATA + 2


def le(value, width):
    return (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little")


class Memory:
    """A byte memory of `size` bytes kept as the pages written, so that a
    stable memory of 4 GiB costs what was touched."""

    def __init__(self, size=0):
        self.size = size
        self.pages = {}

    def __len__(self):
        return self.size

    def copy(self):
        m = Memory(self.size)
        m.pages = {k: bytearray(v) for k, v in self.pages.items()}
        return m

    def grow(self, nbytes):
        self.size += nbytes

    def read(self, off, n):
        out = bytearray()
        while n > 0:
            page, at = divmod(off, PAGE)
            take = min(n, PAGE - at)
            data = self.pages.get(page)
            out += data[at:at + take] if data else bytes(take)
            off, n = off + take, n - take
        return bytes(out)

    def write(self, off, data):
        data = bytes(data)
        while data:
            page, at = divmod(off, PAGE)
            take = min(len(data), PAGE - at)
            self.pages.setdefault(page, bytearray(PAGE))[at:at + take] = \
                data[:take]
            off, data = off + take, data[take:]


class Trap(Exception):
    def __init__(self, category):
        super().__init__(category)
        self.category = category


class Canister:
    def __init__(self, profile):
        self.p = profile
        self.module = None
        self.stable = Memory()
        self.heap = Memory()
        self.lm_runs = 0
        self.limit = profile.get("wasm_memory_limit", 0)
        self.threshold = profile.get("wasm_memory_threshold", 0)
        self.hook = "not-satisfied"  # LOW-3: not-satisfied, ready, executed
        self.timer = 0  # the global timer, 0: inactive

    # ---- limits ----
    def max_stable_pages(self):
        return self.p["max_stable_memory"] // PAGE

    def max_stable32_pages(self):
        return self.p["max_stable_memory_32"] // PAGE

    def heap_max_pages(self, m=None):
        m = m or self.module
        prof = self.p["max_heap_wasm64" if m.wasm64 else "max_heap_wasm32"]
        top = prof // PAGE
        return min(top, m.max_pages) if m.max_pages is not None else top

    # ---- snapshots, for rollback ----
    def save(self):
        return (self.module, self.stable.copy(), self.heap.copy(),
                self.lm_runs, self.limit, self.threshold, self.hook,
                self.timer)

    def restore(self, s):
        (self.module, stable, heap, self.lm_runs, self.limit, self.threshold,
         self.hook, self.timer) = s
        self.stable, self.heap = stable, heap

    # ---- the low-memory hook (LOW-3, LOW-4) ----
    # Modelled only with a wasm_memory_limit set: without one the capacity
    # is a reading (EDGE-LOWCAP), and the generator exports the hook only
    # in scenarios that set the limit before installing.
    def low_memory_check(self):
        if self.module is None or self.limit == 0:
            return
        if self.limit < len(self.heap) + self.threshold:
            if self.hook == "not-satisfied":
                self.hook = "ready"
        else:
            self.hook = "not-satisfied"

    def run_hook(self):
        self.lm_runs += 1
        self.hook = "executed"

    # ---- lifecycle ----
    def fresh_heap(self, m):
        heap = Memory(m.init_pages * PAGE)
        heap.write(DATA, PATTERN)
        return heap

    def install(self, mode, m, skip_pre=False, persist=None):
        """persist: wasm_memory_persistence of an upgrade, None (absent),
        "keep" or "replace"."""
        if mode == "uninstall":
            self.module, self.stable, self.heap = None, Memory(), Memory()
            self.lm_runs = 0
            self.hook = "not-satisfied"
            self.timer = 0
            return ("reply", b"")
        if mode == "install" and self.module is not None:
            return ("install-rejected", "canister-not-empty")
        if mode == "upgrade" and self.module is None:
            return ("install-rejected", "canister-empty")
        if (self.limit and m.init_pages * PAGE > self.limit):
            return ("install-rejected", None)
        if mode == "upgrade":
            # EOP-2: an EOP module must be told what to do with its heap;
            # EOP-3: keep only into a module that has the section too
            if self.module.eop and persist is None:
                return ("install-rejected", "upgrade-option")
            if persist == "keep" and not m.eop:
                return ("install-rejected", "upgrade-option")
        saved = self.save()
        try:
            if mode == "upgrade":
                old = self.module
                if not skip_pre:
                    if old.pre_trap:
                        raise Trap("unreachable")
                    if old.pre_writes and len(self.stable) > 0:
                        self.stable.write(0, self.heap.read(DATA, 4))
            else:
                self.stable = Memory()
            self.module = m
            if persist == "keep" and mode == "upgrade":
                # EOP-1, EOP-4: the heap as pre_upgrade left it (the
                # variants of a scenario share their limits, so it fits);
                # globals (the hook's counter) start afresh
                if self.p.get("reading.keep_data_segments") == "reapplied":
                    self.heap.write(DATA, PATTERN)
            else:
                self.heap = self.fresh_heap(m)
            self.lm_runs = 0
            self.timer = 0  # UPG-2: post_upgrade starts with no timer
            if mode == "upgrade" and m.post_trap:
                raise Trap("unreachable")
        except Trap as t:
            self.restore(saved)
            return ("install-rejected", t.category)
        self.hook = "not-satisfied"
        self.low_memory_check()
        return ("reply", b"")

    def settings(self, limit=None, threshold=None):
        if limit is not None:
            if limit > self.p["max_wasm_memory_limit"]:
                return ("reject", "canister-error", "invalid-settings")
            if limit and self.module is not None and limit < len(self.heap):
                return ("reject", "canister-error", "invalid-settings")
        if threshold is not None and \
                threshold > self.p["max_wasm_memory_threshold"]:
            return ("reject", "canister-error", "invalid-settings")
        if limit is not None:
            self.limit = limit
        if threshold is not None:
            self.threshold = threshold
        self.low_memory_check()
        return ("reply", b"")

    # ---- messages ----
    def call(self, kind, method, args):
        """kind: update, query or replicated-query; args: the i64
        arguments."""
        if self.module is None:
            return ("reject", "destination-invalid", "canister-empty")
        # a due hook runs before the next replicated message (LOW-4)
        if kind != "query" and self.hook == "ready":
            self.run_hook()
        saved = self.save()
        heap_before = len(self.heap)
        try:
            out = getattr(self, "m_" + method.replace("-", "_"))(args)
            if kind == "update" and self.limit and \
                    len(self.heap) > self.limit and \
                    len(self.heap) > heap_before:
                raise Trap("wasm-memory-limit")
        except Trap as t:
            self.restore(saved)
            self.low_memory_check()
            return ("trap", t.category)
        if kind != "update":
            self.restore(saved)
        else:
            self.low_memory_check()
        return ("reply", out)

    def low_memory_task(self):
        if self.module is None:
            return ("reject", "destination-invalid", "canister-empty")
        if self.hook != "ready":
            return ("reject", "destination-invalid", "task-not-scheduled")
        self.run_hook()
        self.low_memory_check()
        return ("no-reply",)

    def tick_task(self, name):
        """canister_heartbeat or canister_global_timer (TXN-11): both add
        one to the heap byte TICK, then trap when stable memory has an odd
        number of pages. A timer task runs only with the timer set, and is
        deactivated before it runs (EDGE-TIMER-TRAP)."""
        if self.module is None:
            return ("reject", "destination-invalid", "canister-empty")
        if self.hook == "ready":
            self.run_hook()
        if name == "global_timer":
            if self.timer == 0:
                return ("reject", "destination-invalid",
                        "task-not-scheduled")
            self.timer = 0
        saved = self.save()
        self.heap.write(TICK, [(self.heap.read(TICK, 1)[0] + 1) & 0xff])
        if (len(self.stable) // PAGE) % 2 == 1:
            self.restore(saved)
            self.low_memory_check()
            return ("trap", "unreachable")
        self.low_memory_check()
        return ("no-reply",)

    def inspect_message(self, args):
        """An ingress message's inspection (MSG-INSPECT-1): whatever it
        does, nothing of it is kept (TXN-9); without the export every
        message is accepted."""
        if self.module is None:
            return ("reject", "destination-invalid", "canister-empty")
        if not self.module.inspect:
            return ("reply", b"")
        kind = (args[0] & U64) % 3
        if kind == 0:
            return ("reply", b"")
        if kind == 1:
            return ("reject", "canister-reject", "message-not-accepted")
        return ("trap", "unreachable")

    # ---- the methods of the generated module ----
    def width(self):
        return 8 if self.module.wasm64 else 4

    def addr(self, v):
        """An address argument as the module reads it (i32 in wasm32)."""
        return v & U64 if self.module.wasm64 else v & 0xffffffff

    def heap_range(self, start, size):
        if start + size > len(self.heap):
            raise Trap("heap-out-of-bounds")

    def stable_range(self, start, size):
        if start + size > len(self.stable):
            raise Trap("stable-out-of-bounds")

    def m_sgrow(self, a):
        n = a[0] & U64
        old = len(self.stable) // PAGE
        if n > self.max_stable_pages() - old:
            return le(U64, 8)
        self.stable.grow(n * PAGE)
        return le(old, 8)

    def m_ssize(self, a):
        return le(len(self.stable) // PAGE, 8)

    def m_sgrow32(self, a):
        n = a[0] & 0xffffffff
        old = len(self.stable) // PAGE
        if old > self.max_stable32_pages():
            raise Trap("stable-too-big-for-32-bit")
        if old + n > self.max_stable32_pages() or \
                old + n > self.max_stable_pages():
            return le(0xffffffff, 4)
        self.stable.grow(n * PAGE)
        return le(old, 4)

    def m_ssize32(self, a):
        pages = len(self.stable) // PAGE
        if pages > self.max_stable32_pages():
            raise Trap("stable-too-big-for-32-bit")
        return le(pages, 4)

    def stable_first(self):
        order = self.p.get("reading.stable_check_order") == "stable-first"
        # a planted disagreement, so the tests can see the fuzzer find one
        if os.environ.get("CANMEM_FUZZ_PLANT") == "check-order":
            order = not order
        return order

    def m_swrite(self, a):
        off, src, size = a[0] & U64, a[1] & U64, a[2] & U64
        if self.stable_first():
            self.stable_range(off, size)
            self.heap_range(src, size)
        else:
            self.heap_range(src, size)
            self.stable_range(off, size)
        self.stable.write(off, self.heap.read(src, size))
        return b""

    def m_sread(self, a):
        dst, off, size = a[0] & U64, a[1] & U64, a[2] & U64
        self.stable_range(off, size)
        self.heap_range(dst, size)
        self.heap.write(dst, self.stable.read(off, size))
        return self.heap.read(dst, size)

    # the 32-bit API (SM32-WRITE-4, SM32-READ-4): the 4 GiB size check
    # first, then the ranges as the 64-bit calls order them; arguments are
    # i32, their sums unbounded
    def too_big_for_32(self):
        if len(self.stable) // PAGE > self.max_stable32_pages():
            raise Trap("stable-too-big-for-32-bit")

    def m_swrite32(self, a):
        self.too_big_for_32()
        return self.m_swrite([v & 0xffffffff for v in a[:3]])

    def m_sread32(self, a):
        self.too_big_for_32()
        return self.m_sread([v & 0xffffffff for v in a[:3]])

    def m_hgrow(self, a):
        n = self.addr(a[0])
        old = len(self.heap) // PAGE
        if n > self.heap_max_pages() - old:
            return le(U64, self.width())
        self.heap.grow(n * PAGE)
        return le(old, self.width())

    def m_hsize(self, a):
        return le(len(self.heap) // PAGE, self.width())

    def m_hstore(self, a):
        at = self.addr(a[0])
        self.heap_range(at, 1)
        self.heap.write(at, [a[1] & 0xff])
        return b""

    def m_hload(self, a):
        at = self.addr(a[0])
        self.heap_range(at, 1)
        return le(self.heap.read(at, 1)[0], 4)

    def m_hcopy(self, a):
        dst, src, n = self.addr(a[0]), self.addr(a[1]), self.addr(a[2])
        if dst + n > len(self.heap) or src + n > len(self.heap):
            raise Trap("heap-out-of-bounds")
        self.heap.write(dst, self.heap.read(src, n))
        return b""

    def m_fail(self, a):
        """Changes everything, then traps the way a[0] says."""
        self.m_sgrow([1])
        if len(self.stable) >= 8:
            self.stable.write(0, self.heap.read(DATA, 8))
        self.m_hgrow([1])
        self.heap.write(DATA, [0x7a])
        kind = a[0] % 3
        if kind == 0:
            raise Trap("unreachable")
        if kind == 1:
            raise Trap("explicit-trap")
        raise Trap("heap-out-of-bounds")

    def m_arm(self, a):
        old, self.timer = self.timer, a[0] & U64
        return le(old, 8)

    def m_lmruns(self, a):
        return le(self.lm_runs, 8)
