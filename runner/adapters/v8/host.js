'use strict';
// The canister host of the canmem v8 adapter: one Internet Computer canister
// on V8's WebAssembly, driven by the C adapter (v8_adapter.c) over stdin and
// stdout. It implements ic0, the lifecycle and transactions on its own,
// independently of the reference model (ref/canister), so that the two
// cross-check each other. docs/adapter-v8.md describes the protocol and
// how each rule is realised on V8.
//
// Protocol, one request then one response, little-endian:
//   request:  u32 json_len, u64 body_len, json, body
//   response: u32 status, u32 kind, u32 reject_code, u32 category,
//             u64 value, u32 message_len, u64 payload_len, message, payload
// status is a CANMEM_OK/CANMEM_ERR_* value of runner/canmem_adapter.h.

const fs = require('fs');
const zlib = require('zlib');
const v8 = require('v8');
const instrument = require('./instrument.js');

// ---- numbers of runner/canmem_adapter.h ----
const OK = 0, ERR_UNSUPPORTED = 1, ERR_ARGUMENT = 2, ERR_INTERNAL = 3;
const MODE = { INSTALL: 1, REINSTALL: 2, UPGRADE: 3, UNINSTALL: 4 };
const KEEP = 1, REPLACE = 2;
const CALL = { UPDATE: 1, QUERY: 2, REPLICATED_QUERY: 3, SYSTEM_TASK: 4, INSPECT: 5 };
const OUT = { REPLY: 1, REJECT: 2, NO_REPLY: 3, TRAP: 4, INSTALL_REJECTED: 5, PENDING: 6, RETURNED: 7 };
const RC = { NONE: 0, SYS_FATAL: 1, SYS_TRANSIENT: 2, DESTINATION_INVALID: 3, CANISTER_REJECT: 4, CANISTER_ERROR: 5, SYS_UNKNOWN: 6 };
const CAT = {
  NONE: 0, UNREACHABLE: 1, HEAP_OOB: 2, TABLE_OOB: 3, DIV_ZERO: 4, INT_OVERFLOW: 5,
  INVALID_CONVERSION: 6, SIG_MISMATCH: 7, UNINIT_ELEMENT: 8, STACK: 9, INSTRUCTIONS: 10,
  EXPLICIT_TRAP: 20, STABLE_OOB: 21, STABLE_TOO_BIG_32: 22, NOT_ALLOWED: 23,
  CONTRACT: 24, WASM_MEMORY_LIMIT: 25, NOT_MODELLED: 26, OUT_OF_MEMORY: 27, WASM_ENGINE: 28,
  MEMORY_ACCESS_LIMIT: 29,
  INVALID_MODULE: 40, MODULE_IMPORT: 41, MODULE_IMPORT_SIGNATURE: 42,
  MODULE_IMPORT_WASM32_ONLY: 43, MODULE_MEMORY: 44, MODULE_EXPORT: 45,
  MODULE_DUPLICATE_METHOD: 46, MODULE_CUSTOM_SECTION: 47, MODULE_LIMIT: 48,
  INSTANTIATION_FAILED: 49, CANISTER_NOT_EMPTY: 50, CANISTER_EMPTY: 51,
  UPGRADE_OPTION: 52, METHOD_NOT_FOUND: 53, TASK_NOT_SCHEDULED: 54,
  MESSAGE_NOT_ACCEPTED: 55, INVALID_SETTINGS: 56, UNSUPPORTED: 57,
  SNAPSHOT_NOT_FOUND: 60, SNAPSHOT_LIMIT: 61, SNAPSHOT_RANGE: 62, SNAPSHOT_NOT_UPLOADED: 63,
  SNAPSHOT_GLOBALS: 64, SNAPSHOT_HOOK_STATUS: 65, SNAPSHOT_SIZES: 66, CALL_CONTEXT_DELETED: 70,
};
const FEATURE = {
  STABLE64: 1n << 0n, WASM64: 1n << 1n, WASM_MEMORY_LIMIT: 1n << 2n, LOW_MEMORY_HOOK: 1n << 3n,
  SKIP_PRE_UPGRADE: 1n << 4n, WASM_MEMORY_PERSISTENCE: 1n << 5n, STABLE_IN_START: 1n << 6n,
  GZIP: 1n << 7n, ANY_MEMORY_IMPORT: 1n << 8n, SIMD: 1n << 9n, TAIL_CALL: 1n << 10n, TABLE64: 1n << 11n,
  SNAPSHOTS: 1n << 12n, SNAPSHOT_DATA: 1n << 13n, SNAPSHOT_LOAD_OTHER: 1n << 14n, SNAPSHOT_UNINSTALL: 1n << 15n,
};
const READING = {
  LIMIT_ON_GROWTH_ONLY: 1n << 0n, LIMIT_IN_TIMERS: 1n << 1n, LIMIT_IN_LOW_MEMORY_HOOK: 1n << 2n,
  KEEP_REAPPLIES_DATA: 1n << 3n, LOW_MEMORY_FORMAL_CAPACITY: 1n << 4n,
  NO_MEMORY_TRAPS: 1n << 5n, STABLE_BOUND_FIRST: 1n << 6n,
  LIMIT_CHECKED_AT_START: 1n << 7n, LOW_MEMORY_WASM32_CAPACITY: 1n << 8n, LOGS_ON_SUCCESS_ONLY: 1n << 9n,
};
const SETTING_LIMIT = 1, SETTING_THRESHOLD = 2;

const PAGE = 65536;
const BPAGE = 65536n;
const U64 = (x) => BigInt.asUintN(64, BigInt(x));

// A trap raised by the host (ic0) or mapped from a V8 exception.
class Trap extends Error {
  constructor(category, message) {
    super(message);
    this.category = category;
  }
}
// An install_code or call refused before anything ran.
class Refusal extends Error {
  constructor(category, message, code) {
    super(message);
    this.category = category;
    this.code = code === undefined ? RC.CANISTER_ERROR : code;
  }
}

// ---- stable memory: sparse 64 KiB pages with a per-transaction journal ----
class StableMemory {
  constructor() {
    this.pages = new Map(); // page index -> Uint8Array, absent = zeros
    this.size = 0; // in pages
    this.journal = null; // page index -> previous storage (or null)
    this.sizeBefore = 0;
  }
  begin() { this.journal = new Map(); this.sizeBefore = this.size; }
  commit() { this.journal = null; }
  rollback() {
    if (!this.journal) return;
    for (const [index, old] of this.journal) {
      if (old) this.pages.set(index, old); else this.pages.delete(index);
    }
    this.size = this.sizeBefore;
    this.journal = null;
  }
  // A page to write into; its first write in a transaction keeps the old one.
  writablePage(index) {
    const old = this.pages.get(index);
    if (this.journal && !this.journal.has(index)) {
      this.journal.set(index, old || null);
      const fresh = old ? Uint8Array.from(old) : new Uint8Array(PAGE);
      this.pages.set(index, fresh);
      return fresh;
    }
    if (old) return old;
    const fresh = new Uint8Array(PAGE);
    this.pages.set(index, fresh);
    return fresh;
  }
  write(offset, bytes) { // offset: Number, checked by the caller
    let done = 0;
    while (done < bytes.length) {
      const at = offset + done;
      const index = Math.floor(at / PAGE), within = at % PAGE;
      const n = Math.min(PAGE - within, bytes.length - done);
      this.writablePage(index).set(bytes.subarray(done, done + n), within);
      done += n;
    }
  }
  read(offset, length) {
    const result = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = offset + done;
      const index = Math.floor(at / PAGE), within = at % PAGE;
      const n = Math.min(PAGE - within, length - done);
      const page = this.pages.get(index);
      if (page) result.set(page.subarray(within, within + n), done);
      done += n;
    }
    return result;
  }
}

// ---- the heap's undo log (instrument.js explains the scheme) ----
// One per instance with a memory. touch(block) is called (by the
// instrumented code, through cm:host.touch, or by the host before it writes
// into the heap) when a 64 KiB block is about to be written and its byte in
// the map is 0. In a transaction the first touch saves the block's bytes;
// outside one (install, upgrade: a fresh instance, dropped on failure)
// touch only sets the map byte, so the block costs no further calls.
class HeapJournal {
  constructor(memory, map) {
    this.memory = memory;
    this.map = map; // Uint8Array over the module's map memory
    this.marked = []; // blocks whose map byte is set
    this.saved = null; // in a transaction: block -> its bytes before
    this.pages = 0; // the heap's size in pages when the transaction began
  }
  begin() {
    this.clearMarks();
    this.saved = new Map();
    this.pages = this.memory.buffer.byteLength / PAGE;
  }
  touch(block) {
    const heap = this.memory.buffer;
    if (block >= heap.byteLength / PAGE || this.map[block]) return; // the write will trap, or done
    this.map[block] = 1;
    this.marked.push(block);
    // blocks beyond the old size need no copy: a rollback drops them
    if (this.saved && block < this.pages) this.saved.set(block, Buffer.from(new Uint8Array(heap, block * PAGE, PAGE)));
  }
  // The host is about to write n bytes at addr (Numbers, in bounds).
  touchRange(addr, n) {
    if (!n) return;
    for (let b = Math.floor(addr / PAGE); b <= Math.floor((addr + n - 1) / PAGE); b++) this.touch(b);
  }
  // Puts the saved blocks back into buf (a Buffer over a heap).
  undoInto(buf) {
    for (const [block, bytes] of this.saved) bytes.copy(buf, block * PAGE);
  }
  end() { this.clearMarks(); this.saved = null; }
  clearMarks() {
    for (const b of this.marked) this.map[b] = 0;
    this.marked = [];
  }
}

// ---- the module: parsing what the canister rules need, and rewriting ----

class Reader {
  constructor(bytes, pos, end) { this.b = bytes; this.pos = pos || 0; this.end = end === undefined ? bytes.length : end; }
  byte() { if (this.pos >= this.end) throw new Error('unexpected end'); return this.b[this.pos++]; }
  u64() { // unsigned LEB128 as BigInt
    let result = 0n, shift = 0n;
    for (;;) {
      const x = this.byte();
      result |= BigInt(x & 0x7f) << shift;
      if (!(x & 0x80)) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('LEB128 too long');
    }
  }
  u32() { // as u64 would, in Numbers (parsing a large module is mostly this)
    let result = 0, scale = 1;
    for (let k = 0; k < 5; k++) {
      const x = this.byte();
      result += (x & 0x7f) * scale;
      if (!(x & 0x80)) {
        if (result > 0xffffffff) throw new Error('u32 too large');
        return result;
      }
      scale *= 128;
    }
    this.pos -= 5;
    const v = this.u64();
    if (v > 0xffffffffn) throw new Error('u32 too large');
    return Number(v);
  }
  skipSigned() { while (this.byte() & 0x80); }
  s64() { // signed LEB128 as BigInt
    let result = 0n, shift = 0n, x;
    do {
      x = this.byte();
      result |= BigInt(x & 0x7f) << shift;
      shift += 7n;
    } while (x & 0x80);
    return x & 0x40 ? result - (1n << shift) : result;
  }
  bytes(n) { if (this.pos + n > this.end) throw new Error('unexpected end'); const r = this.b.subarray(this.pos, this.pos + n); this.pos += n; return r; }
  name() { return Buffer.from(this.bytes(this.u32())).toString('utf8'); }
  limits() {
    const flags = this.byte();
    const min = this.u64();
    const max = flags & 1 ? this.u64() : null;
    return { flags, min, max, is64: (flags & 4) !== 0, shared: (flags & 2) !== 0 };
  }
  valtype() { const t = this.byte(); if (t === 0x63 || t === 0x64) this.skipSigned(); return t; }
  // Skips a constant expression up to its `end`; adds the functions of
  // its ref.func to refs.
  constExpr(refs) {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42) this.skipSigned();
      else if (op === 0x43) this.pos += 4;
      else if (op === 0x44) this.pos += 8;
      else if (op === 0x23) this.u32();
      else if (op === 0xd2) refs.add(this.u32());
      else if (op === 0xd0) this.skipSigned();
      else if (op === 0xfd) { this.u32(); this.pos += 16; }
      else if (op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e) { /* extended const */ }
      else throw new Error('unsupported constant expression');
    }
  }
}

const { uleb, IMMEDIATES, FC_INDICES } = instrument;
const nameBytes = (s) => { const b = Buffer.from(s, 'utf8'); return [...uleb(b.length), ...b]; };
const limitsBytes = (l) => [l.flags, ...uleb(l.min), ...(l.flags & 1 ? uleb(l.max) : [])];

// Parses the sections the canister rules look at. Throws on malformed input.
function parseModule(bytes) {
  const m = {
    sections: [], types: [], imports: [], funcTypes: [], tables: [], memories: [],
    globals: 0, mutableGlobals: [], mutableV128: [], exports: [], customs: [], start: null,
    importedFuncs: 0, importedGlobals: 0, importedTables: 0, code: null, v128Declared: false,
    refFuncs: new Set(), // the functions a table can hold: in segments, ref.func of globals, exports
    globalTypes: [], // every global's { type, mutable }, by index
    activeData: [], // active data segments: { offset (BigInt, null when not a constant), length }
  };
  const note = (t) => { if (t === 0x7b) m.v128Declared = true; return t; };
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a WebAssembly binary');
  const r = new Reader(bytes, 8);
  while (r.pos < r.end) {
    const headerStart = r.pos;
    const id = r.byte();
    const size = r.u32();
    const start = r.pos, end = start + size;
    if (end > r.end) throw new Error('section exceeds the module');
    m.sections.push({ id, start, end, headerStart });
    r.pos = end;
    const s = new Reader(bytes, start, end);
    switch (id) {
      case 0: m.customs.push({ name: s.name(), size: end - s.pos }); break;
      case 1: for (let n = s.u32(); n > 0; n--) {
        if (s.byte() !== 0x60) throw new Error('only function types are understood');
        const params = []; for (let k = s.u32(); k > 0; k--) params.push(note(s.valtype()));
        const results = []; for (let k = s.u32(); k > 0; k--) results.push(note(s.valtype()));
        m.types.push({ params, results });
      } break;
      case 2: for (let n = s.u32(); n > 0; n--) {
        const imp = { module: s.name(), name: s.name(), kind: s.byte() };
        if (imp.kind === 0) { imp.type = s.u32(); m.funcTypes.push(imp.type); m.importedFuncs++; }
        else if (imp.kind === 1) { imp.elem = s.valtype(); imp.limits = s.limits(); m.tables.push(imp); m.importedTables++; }
        else if (imp.kind === 2) { imp.limits = s.limits(); m.memories.push(imp); }
        else if (imp.kind === 3) { const type = s.valtype(); imp.mutable = s.byte() === 1; m.importedGlobals++; m.globalTypes.push({ type, mutable: imp.mutable }); }
        else if (imp.kind === 4) { s.byte(); s.u32(); }
        else throw new Error('bad import kind');
        m.imports.push(imp);
      } break;
      case 3: for (let n = s.u32(); n > 0; n--) m.funcTypes.push(s.u32()); break;
      case 4: for (let n = s.u32(); n > 0; n--) {
        let elem;
        if (s.b[s.pos] === 0x40) { s.pos += 2; elem = s.valtype(); const limits = s.limits(); s.constExpr(m.refFuncs); m.tables.push({ elem, limits }); }
        else { elem = s.valtype(); m.tables.push({ elem, limits: s.limits() }); }
      } break;
      case 5: for (let n = s.u32(); n > 0; n--) m.memories.push({ limits: s.limits() }); break;
      case 6: for (let n = s.u32(); n > 0; n--) {
        const type = note(s.valtype());
        const mutable = s.byte() === 1;
        m.globalTypes.push({ type, mutable });
        // v128 values cannot cross into JavaScript: such globals get accessors
        if (mutable) (type === 0x7b ? m.mutableV128 : m.mutableGlobals).push(m.importedGlobals + m.globals);
        m.globals++;
        s.constExpr(m.refFuncs);
      } break;
      case 7: for (let n = s.u32(); n > 0; n--) {
        const ex = { name: s.name(), kind: s.byte(), index: s.u32() };
        if (ex.kind === 0) m.refFuncs.add(ex.index);
        m.exports.push(ex);
      } break;
      case 9: for (let n = s.u32(); n > 0; n--) { // element segments, flags 0-7
        const flags = s.u32();
        if (flags & 2 && !(flags & 1)) s.u32(); // table index
        if (!(flags & 1)) s.constExpr(m.refFuncs); // offset
        if (flags & 3) { if (flags & 4) s.valtype(); else s.byte(); } // reftype or elemkind
        for (let k = s.u32(); k > 0; k--) { if (flags & 4) s.constExpr(m.refFuncs); else m.refFuncs.add(s.u32()); }
      } break;
      case 8: m.start = s.u32(); break;
      case 10: m.code = { start, end }; break;
      case 11: for (let n = s.u32(); n > 0; n--) {
        const flags = s.u32();
        let offset = null;
        if (flags !== 1) { // active: memory index (flags 2), offset expression
          if (flags === 2) s.u32();
          const exprStart = s.pos;
          const op = s.byte();
          if (op === 0x41 || op === 0x42) {
            const v = s.s64();
            if (s.byte() === 0x0b) offset = BigInt.asUintN(op === 0x41 ? 32 : 64, v);
          }
          if (offset === null) { s.pos = exprStart; s.constExpr(new Set()); } // extended constants
        }
        const length = s.u32();
        s.pos += length;
        if (flags !== 1) m.activeData.push({ offset, length });
      } break;
      default: break;
    }
  }
  return m;
}

// ---- which WebAssembly features the module uses (MOD-FEAT) ----
// V8 accepts far more than the IC does and cannot switch features off, so
// the host walks the code itself. The module has passed V8's validation,
// so the walk only needs the immediates right; an opcode outside the
// features the IC knows (exceptions, GC, threads, relaxed SIMD...) is
// reported as such.

// The immediates of each opcode: IMMEDIATES and FC_INDICES (instrument.js).

// Returns { simd, tailCall, table64, unknown } for a parsed module:
// unknown names the first instruction of a feature the IC does not know.
function featuresUsed(bytes, info) {
  const used = { simd: info.v128Declared, tailCall: false, table64: info.tables.some((t) => t.limits.is64), unknown: null };
  if (!info.code) return used;
  const r = new Reader(bytes, info.code.start, info.code.end);
  const valtype = () => { if (r.valtype() === 0x7b) used.simd = true; };
  const memarg = () => { const align = r.u32(); if (align & 0x40) r.u32(); r.u64(); };
  const blockType = () => {
    const b = r.b[r.pos];
    if (b === 0x40) r.pos++;
    else if (b >= 0x40 && b < 0x80) valtype(); // a value type (negative s33)
    else r.skipSigned(); // a type index
  };
  for (let n = r.u32(); n > 0 && !used.unknown; n--) {
    const size = r.u32();
    const end = r.pos + size;
    for (let k = r.u32(); k > 0; k--) { r.u32(); valtype(); }
    while (r.pos < end && !used.unknown) {
      const op = r.byte();
      if (op === 0x12 || op === 0x13) used.tailCall = true;
      if (op === 0x0e) { for (let k = r.u32(); k >= 0; k--) r.u32(); continue; } // br_table: labels + default
      if (op === 0x1c) { for (let k = r.u32(); k > 0; k--) valtype(); continue; } // select t*
      if (op === 0xfc) { // bulk memory, saturating truncation, tables
        const sub = r.u32();
        if (sub < FC_INDICES.length) for (let k = FC_INDICES[sub]; k > 0; k--) r.u32();
        else used.unknown = `0xfc ${sub}`;
        continue;
      }
      if (op === 0xfd) { // fixed-width SIMD
        used.simd = true;
        const sub = r.u32();
        if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) memarg();
        else if (sub === 0x0c || sub === 0x0d) r.bytes(16);
        else if (sub >= 0x15 && sub <= 0x22) r.byte();
        else if (sub >= 0x54 && sub <= 0x5b) { memarg(); r.byte(); }
        else if (sub > 0xff) used.unknown = `0xfd ${sub} (relaxed SIMD)`;
        continue;
      }
      const imm = IMMEDIATES.get(op);
      if (imm === undefined) { used.unknown = `0x${op.toString(16)}`; break; }
      if (imm === 4 || imm === 8) { r.bytes(imm); continue; }
      for (const c of imm) {
        if (c === 'u') r.u32();
        else if (c === 's') r.skipSigned();
        else if (c === 'm') memarg();
        else if (c === 'b') blockType();
        else if (c === 'h') r.skipSigned();
      }
    }
    r.pos = end;
  }
  return used;
}

// ---- the System API ----
// Contexts (ic-memory-rules.md section 1); CQ runs composite queries.
// Ry, Rt: reply and reject callbacks; C: a cleanup callback.
const CTX = { s: 1, I: 2, G: 4, U: 8, RQ: 16, NRQ: 32, CQ: 64, F: 128, T: 256, Ry: 512, Rt: 1024, C: 2048 };
const CALLBACK = CTX.Ry | CTX.Rt;
const ANY = CTX.I | CTX.G | CTX.U | CTX.RQ | CTX.NRQ | CTX.CQ | CTX.F | CTX.T | CALLBACK | CTX.C;
const ANY_S = ANY | CTX.s;
const REPLYING = CTX.U | CTX.RQ | CTX.NRQ | CTX.CQ | CALLBACK;
// msg_caller_info_*: not in install, upgrade, (start) or system tasks.
const CALLER_INFO = REPLYING | CTX.F | CTX.C;
// ic0.call_*: composite queries may call too, but their calls are not modelled (call_new traps there).
const CALLING = CTX.U | CTX.CQ | CTX.T | CALLBACK;
// name: [params, results, contexts, flags]; P = the pointer type I.
// flags: 1 = wasm32 only, 2 = needs feature.stable64.
const IC0 = {
  msg_arg_data_size: ['', 'P', CTX.I | CTX.U | CTX.RQ | CTX.NRQ | CTX.CQ | CTX.F | CTX.Ry],
  msg_arg_data_copy: ['PPP', '', CTX.I | CTX.U | CTX.RQ | CTX.NRQ | CTX.CQ | CTX.F | CTX.Ry],
  msg_caller_size: ['', 'P', ANY], msg_caller_copy: ['PPP', '', ANY],
  msg_caller_info_data_size: ['', 'P', CALLER_INFO], msg_caller_info_data_copy: ['PPP', '', CALLER_INFO],
  msg_caller_info_signer_size: ['', 'P', CALLER_INFO], msg_caller_info_signer_copy: ['PPP', '', CALLER_INFO],
  msg_reject_code: ['', 'i', CALLBACK | CTX.C], msg_reject_msg_size: ['', 'P', CTX.Rt], msg_reject_msg_copy: ['PPP', '', CTX.Rt],
  msg_deadline: ['', 'I', REPLYING],
  msg_reply_data_append: ['PP', '', REPLYING], msg_reply: ['', '', REPLYING], msg_reject: ['PP', '', REPLYING],
  msg_cycles_available128: ['P', '', CTX.U | CTX.RQ | CALLBACK], msg_cycles_refunded128: ['P', '', CALLBACK],
  msg_cycles_accept128: ['IIP', '', CTX.U | CTX.RQ | CALLBACK],
  cycles_burn128: ['IIP', '', CTX.I | CTX.G | CTX.U | CTX.RQ | CTX.T | CALLBACK | CTX.C],
  canister_self_size: ['', 'P', ANY], canister_self_copy: ['PPP', '', ANY],
  canister_cycle_balance128: ['P', '', ANY], canister_liquid_cycle_balance128: ['P', '', ANY],
  canister_status: ['', 'i', ANY], canister_version: ['', 'I', ANY],
  subnet_self_size: ['', 'P', ANY], subnet_self_copy: ['PPP', '', ANY],
  msg_method_name_size: ['', 'P', CTX.F], msg_method_name_copy: ['PPP', '', CTX.F], accept_message: ['', '', CTX.F],
  call_new: ['PPPPPPPP', '', CALLING], call_on_cleanup: ['PP', '', CALLING],
  call_data_append: ['PP', '', CALLING], call_with_best_effort_response: ['i', '', CALLING],
  call_cycles_add128: ['II', '', CTX.U | CTX.T | CALLBACK], call_perform: ['', 'i', CALLING],
  stable64_size: ['', 'I', ANY_S, 2], stable64_grow: ['I', 'I', ANY_S, 2],
  stable64_write: ['III', '', ANY_S, 2], stable64_read: ['III', '', ANY_S, 2],
  root_key_size: ['', 'P', CTX.I | CTX.G | CTX.U | CTX.RQ | CTX.T | CALLBACK | CTX.C],
  root_key_copy: ['PPP', '', CTX.I | CTX.G | CTX.U | CTX.RQ | CTX.T | CALLBACK | CTX.C],
  certified_data_set: ['PP', '', CTX.I | CTX.G | CTX.U | CTX.T | CALLBACK],
  data_certificate_present: ['', 'i', ANY],
  data_certificate_size: ['', 'P', CTX.NRQ | CTX.CQ], data_certificate_copy: ['PPP', '', CTX.NRQ | CTX.CQ],
  time: ['', 'I', ANY], global_timer_set: ['I', 'I', CTX.I | CTX.G | CTX.U | CTX.T | CALLBACK | CTX.C],
  performance_counter: ['i', 'I', ANY_S], is_controller: ['PP', 'i', ANY_S], in_replicated_execution: ['', 'i', ANY_S],
  cost_call: ['IIP', '', ANY_S], cost_create_canister: ['P', '', ANY_S], cost_http_request: ['IIP', '', ANY_S],
  cost_sign_with_ecdsa: ['PPiP', 'i', ANY_S], cost_sign_with_schnorr: ['PPiP', 'i', ANY_S], cost_vetkd_derive_key: ['PPiP', 'i', ANY_S],
  env_var_count: ['', 'P', ANY], env_var_name_size: ['P', 'P', ANY], env_var_name_copy: ['PPPP', '', ANY],
  env_var_name_exists: ['PP', 'i', ANY], env_var_value_size: ['PP', 'P', ANY], env_var_value_copy: ['PPPPP', '', ANY],
  debug_print: ['PP', '', ANY_S], trap: ['PP', '', ANY_S],
  msg_cycles_available: ['', 'I', CTX.U | CTX.RQ | CALLBACK, 1], msg_cycles_refunded: ['', 'I', CALLBACK, 1],
  msg_cycles_accept: ['I', 'I', CTX.U | CTX.RQ | CALLBACK, 1], canister_cycle_balance: ['', 'I', ANY, 1],
  call_cycles_add: ['I', '', CTX.U | CTX.T | CALLBACK, 1],
  stable_size: ['', 'i', ANY_S, 3], stable_grow: ['i', 'i', ANY_S, 3],
  stable_write: ['iii', '', ANY_S, 3], stable_read: ['iii', '', ANY_S, 3],
};
const USER_PRINCIPAL = Buffer.from('ed5b3ba2cb8e6bd1c3d86e22b2e1a81ec68be76a3a7c4e01e5ab5c5c02', 'hex');
const SELF_ID = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
const EOP_SECTION = 'icp:private enhanced-orthogonal-persistence';
const METHOD_PREFIXES = ['canister_update ', 'canister_query ', 'canister_composite_query '];
const SYSTEM_EXPORTS = ['canister_init', 'canister_inspect_message', 'canister_pre_upgrade', 'canister_post_upgrade',
  'canister_heartbeat', 'canister_on_low_wasm_memory', 'canister_global_timer'];
const HOST_MODULE = 'cm:host';
// V8's limit for memory64 memories (16 GiB); wasm32 has 4 GiB.
const V8_MAX_PAGES64 = 262144n;
// MAX_CALL_TIMEOUT of the spec: longer best-effort timeouts count as this.
const MAX_CALL_TIMEOUT = 300;

// Maps an exception out of WebAssembly code to a trap category.
function trapOf(e) {
  if (e instanceof Trap) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new Trap(CAT.STACK, e.message);
  if (e instanceof WebAssembly.RuntimeError) {
    const m = e.message;
    const rules = [
      [/unreachable/, CAT.UNREACHABLE], [/memory access out of bounds|data segment/, CAT.HEAP_OOB],
      [/table index is out of bounds|table access|element segment|out of bounds table/, CAT.TABLE_OOB],
      [/divide by zero|remainder by zero/, CAT.DIV_ZERO], [/unrepresentable|integer overflow/, CAT.INT_OVERFLOW],
      [/float unrepresentable|invalid conversion/, CAT.INVALID_CONVERSION],
      [/signature mismatch|null function/, CAT.SIG_MISMATCH], [/call stack/, CAT.STACK],
    ];
    // "float unrepresentable" must win over "unrepresentable".
    if (/float unrepresentable/.test(m)) return new Trap(CAT.INVALID_CONVERSION, m);
    for (const [re, cat] of rules) if (re.test(m)) return new Trap(cat, m);
    return new Trap(CAT.UNREACHABLE, 'unclassified wasm trap: ' + m);
  }
  if (e instanceof WebAssembly.Exception) return new Trap(CAT.UNREACHABLE, 'uncaught wasm exception');
  const t = new Trap(CAT.NONE, 'host error: ' + (e && e.stack || e));
  t.internal = true;
  return t;
}

// An index into table t: a 64-bit table (memory64 proposal, table64)
// reports its length as a BigInt and wants BigInt indices.
function tableIndex(t, i) { return typeof t.length === 'bigint' ? BigInt(i) : i; }

class Canister {
  constructor(profile) {
    this.p = profile;
    this.code = null; // installed code: {module, info, is64, eop, instance...}
    this.stable = new StableMemory();
    this.version = 0n;
    this.certified = Buffer.alloc(0);
    this.timer = 0n;
    this.limit = profile.wasm_memory_limit;
    this.threshold = profile.wasm_memory_threshold;
    this.low = 'not-satisfied';
    this.executions = 0n;
    this.x = null; // the running execution
    this.counter = 0n;
    this.calls = new Map(); // outstanding calls: id -> call (calls.js's terms below)
    this.nextCall = 1n;
    this.snapshots = new Map(); // id -> snapshot, oldest first
    this.nextSnapshot = 1n;
    this.logs = []; // the canister log: { idx, time, content }
    this.nextLog = 0n;
  }
  feature(f) { return (this.p.features & f) !== 0n; }
  reading(r) { return (this.p.readings & r) !== 0n; }

  // ---- module checks (MOD-*) and the rewritten binary ----
  prepare(wasm) {
    let bytes = Buffer.from(wasm);
    if (this.p.max_module_bytes && BigInt(bytes.length) > this.p.max_module_bytes)
      throw new Refusal(CAT.MODULE_LIMIT, 'module larger than max_module_size');
    if (bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08) {
      if (!this.feature(FEATURE.GZIP)) throw new Refusal(CAT.INVALID_MODULE, 'gzip modules are not enabled by the profile');
      try {
        bytes = zlib.gunzipSync(bytes, this.p.max_module_bytes ? { maxOutputLength: Number(this.p.max_module_bytes) + 1 } : {});
      } catch (e) {
        if (e.code === 'ERR_BUFFER_TOO_LARGE') throw new Refusal(CAT.MODULE_LIMIT, 'decompressed module larger than max_module_size');
        throw new Refusal(CAT.INVALID_MODULE, 'bad gzip stream: ' + e.message);
      }
      if (this.p.max_module_bytes && BigInt(bytes.length) > this.p.max_module_bytes)
        throw new Refusal(CAT.MODULE_LIMIT, 'decompressed module larger than max_module_size');
    }
    let info;
    try {
      info = parseModule(bytes);
    } catch (e) {
      throw new Refusal(CAT.INVALID_MODULE, 'malformed module: ' + e.message);
    }
    if (!WebAssembly.validate(bytes)) {
      let why = 'invalid module';
      try { new WebAssembly.Module(bytes); } catch (e) { why = e.message; }
      throw new Refusal(CAT.INVALID_MODULE, why);
    }
    // MOD-FEAT: a feature the profile does not enable fails validation on the IC
    const used = featuresUsed(bytes, info);
    if (used.unknown) throw new Refusal(CAT.INVALID_MODULE, `instruction ${used.unknown} belongs to a WebAssembly feature the IC does not accept`);
    if (used.simd && !this.feature(FEATURE.SIMD)) throw new Refusal(CAT.INVALID_MODULE, 'SIMD (v128) is not enabled by the profile');
    if (used.tailCall && !this.feature(FEATURE.TAIL_CALL)) throw new Refusal(CAT.INVALID_MODULE, 'tail calls are not enabled by the profile');
    if (used.table64 && !this.feature(FEATURE.TABLE64)) throw new Refusal(CAT.INVALID_MODULE, '64-bit tables are not enabled by the profile');
    // MOD-MEM-1, MOD-MEM-2
    if (info.memories.length > 1) throw new Refusal(CAT.MODULE_MEMORY, 'more than one memory');
    const memory = info.memories[0] || null;
    const is64 = !!(memory && memory.limits.is64);
    if (is64 && !this.feature(FEATURE.WASM64)) throw new Refusal(CAT.MODULE_MEMORY, 'memory64 is not enabled by the profile');
    const capBytes = is64 ? this.p.max_heap64_bytes : this.p.max_heap32_bytes;
    // The profile's maximum, within what V8 can allocate.
    const engineMax = is64 ? V8_MAX_PAGES64 : 65536n;
    const capPages = capBytes / BPAGE < engineMax ? capBytes / BPAGE : engineMax;
    if (memory && memory.limits.min > capPages) throw new Refusal(CAT.MODULE_MEMORY, 'the memory minimum exceeds the heap maximum');
    // MOD-IMP-*
    for (const imp of info.imports) {
      if (imp.kind === 2 || imp.kind === 1) {
        const want = imp.kind === 2 ? 'memory' : 'table';
        if (!this.feature(FEATURE.ANY_MEMORY_IMPORT) && !(imp.module === 'env' && imp.name === want))
          throw new Refusal(CAT.MODULE_IMPORT, `a ${want} import must be env.${want}`);
        continue;
      }
      if (imp.kind !== 0) throw new Refusal(CAT.MODULE_IMPORT, `import ${imp.module}.${imp.name} is not a function`);
      const spec = imp.module === 'ic0' ? IC0[imp.name] : undefined;
      if (!spec) throw new Refusal(CAT.MODULE_IMPORT, `import ${imp.module}.${imp.name} is not an ic0 function`);
      const flags = spec[3] || 0;
      if ((flags & 2) && !this.feature(FEATURE.STABLE64) && imp.name.startsWith('stable64'))
        throw new Refusal(CAT.MODULE_IMPORT, `ic0.${imp.name} is not enabled by the profile`);
      if ((flags & 1) && is64) throw new Refusal(CAT.MODULE_IMPORT_WASM32_ONLY, `ic0.${imp.name} is only for wasm32 canisters`);
      const type = info.types[imp.type];
      const code = (c) => c === 'i' ? 0x7f : c === 'I' ? 0x7e : (is64 ? 0x7e : 0x7f);
      const same = (list, sig) => list.length === sig.length && [...sig].every((c, k) => code(c) === list[k]);
      if (!type || !same(type.params, spec[0]) || !same(type.results, spec[1]))
        throw new Refusal(CAT.MODULE_IMPORT_SIGNATURE, `ic0.${imp.name} imported with the wrong type`);
    }
    // MOD-EXP-*
    const methods = new Map();
    let methodCount = 0, methodNameBytes = 0;
    for (const ex of info.exports) {
      if (!ex.name.startsWith('canister_')) continue;
      const prefix = METHOD_PREFIXES.find((pre) => ex.name.startsWith(pre));
      if (!prefix && !SYSTEM_EXPORTS.includes(ex.name)) throw new Refusal(CAT.MODULE_EXPORT, `export ${ex.name} is reserved`);
      if (ex.kind !== 0) throw new Refusal(CAT.MODULE_EXPORT, `export ${ex.name} is not a function`);
      const type = info.types[info.funcTypes[ex.index]];
      if (!type || type.params.length || type.results.length) throw new Refusal(CAT.MODULE_EXPORT, `export ${ex.name} is not () -> ()`);
      if (prefix) {
        const name = ex.name.slice(prefix.length);
        if (methods.has(name)) throw new Refusal(CAT.MODULE_DUPLICATE_METHOD, `method ${name} is exported twice`);
        methods.set(name, prefix);
        methodCount++;
        methodNameBytes += Buffer.byteLength(name);
      }
    }
    // MOD-CS-1
    const icp = new Map();
    let icpCount = 0, icpBytes = 0;
    for (const c of info.customs) {
      if (!c.name.startsWith('icp:')) continue;
      let name;
      if (c.name.startsWith('icp:public ')) name = c.name.slice(11);
      else if (c.name.startsWith('icp:private ')) name = c.name.slice(12);
      else throw new Refusal(CAT.MODULE_CUSTOM_SECTION, `custom section ${c.name} is not allowed`);
      if (icp.has(name)) throw new Refusal(CAT.MODULE_CUSTOM_SECTION, `custom section ${name} given twice`);
      icp.set(name, true);
      icpCount++;
      icpBytes += Buffer.byteLength(name) + c.size;
    }
    // MOD-LIM-1
    const lim = (bound, value, what) => {
      if (bound && BigInt(value) > bound) throw new Refusal(CAT.MODULE_LIMIT, `too many ${what}`);
    };
    lim(this.p.max_functions, info.funcTypes.length, 'functions');
    lim(this.p.max_globals, info.globals + info.importedGlobals, 'globals');
    lim(this.p.max_exported_methods, methodCount, 'exported methods');
    lim(this.p.max_method_name_bytes, methodNameBytes, 'method name bytes');
    lim(this.p.max_icp_sections, icpCount, 'icp: sections');
    lim(this.p.max_icp_section_bytes, icpBytes, 'icp: section bytes');

    const maxPages = memory ? (memory.limits.max !== null && memory.limits.max < capPages ? memory.limits.max : capPages) : 0n;
    const rewritten = rewrite(bytes, info, memory, maxPages, used.simd);
    let module;
    try {
      module = new WebAssembly.Module(rewritten);
    } catch (e) {
      throw new Refusal(CAT.INVALID_MODULE, 'V8 rejected the module: ' + e.message);
    }
    const exportNames = new Set(info.exports.map((e) => e.name));
    return {
      module, info, is64, memory, maxPages, methods, exportNames, raw: Buffer.from(wasm),
      eop: info.customs.some((c) => c.name === EOP_SECTION),
    };
  }

  // ---- instances ----
  // A new instance of code with a fresh memory of `pages` pages (at least
  // the minimum); `before` fills it ahead of the data segments. With
  // `adopt` (a keep upgrade), the instance takes that memory instead.
  instantiate(code, pages, before, adopt) {
    let memory = null, memoryMax = 0n;
    if (adopt) {
      memory = adopt.memory;
      memoryMax = adopt.memoryMax;
    } else if (code.memory) {
      const min = code.memory.limits.min > BigInt(pages) ? code.memory.limits.min : BigInt(pages);
      const desc = code.is64
        ? { initial: min, maximum: code.maxPages, address: 'i64' }
        : { initial: Number(min), maximum: Number(code.maxPages) };
      memory = new WebAssembly.Memory(desc);
      memoryMax = code.maxPages;
      if (before) before(memory);
    }
    const imports = { ic0: this.ic0Imports(code), [HOST_MODULE]: {} };
    let journal = null;
    if (memory) {
      imports[HOST_MODULE].memory = memory;
      imports[HOST_MODULE].touch = (block) => journal.touch(block);
    }
    for (const imp of code.info.imports) {
      if (imp.kind !== 1) continue;
      // A 64-bit table takes its sizes as BigInt (and indices, see tableIndex)
      const size = imp.limits.is64 ? BigInt : Number;
      const desc = { element: imp.elem === 0x6f ? 'externref' : 'anyfunc', initial: size(imp.limits.min) };
      if (imp.limits.is64) desc.address = 'i64';
      if (imp.limits.max !== null) desc.maximum = size(imp.limits.max);
      imports[imp.module] = imports[imp.module] || {};
      imports[imp.module][imp.name] = new WebAssembly.Table(desc);
    }
    let instance;
    try {
      instance = new WebAssembly.Instance(code.module, imports);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError || e instanceof WebAssembly.LinkError)
        throw new Refusal(CAT.INSTANTIATION_FAILED, 'instantiation failed: ' + e.message);
      throw e;
    }
    const ex = instance.exports;
    if (memory) journal = new HeapJournal(memory, new Uint8Array(ex['cm:map'].buffer));
    return {
      instance, memory, memoryMax, journal,
      globals: [
        ...code.info.mutableGlobals.map((i) => ex['cm:g' + i]).filter((g) => g).map((g) => ({
          get: () => g.value, set: (v) => { g.value = v; },
        })),
        ...code.info.mutableV128.map((i) => ({ // as two i64 lanes
          get: () => [ex['cm:vget' + i](0), ex['cm:vget' + i](1)], set: ([lo, hi]) => ex['cm:vset' + i](lo, hi),
        })),
      ],
      tables: code.info.tables.map((_, i) => ex['cm:t' + i]).filter((t) => t),
      start: ex['cm:start'] || null,
      func: (i) => ex['cm:f' + i], // function i of this instance
    };
  }

  heapBytes(inst) { return inst && inst.memory ? BigInt(inst.memory.buffer.byteLength) : 0n; }

  // Begins a transaction on inst: the heap's journal starts saving the
  // blocks written; globals and tables are saved whole (they are small).
  snapshot(inst) {
    const snap = { pages: 0, globals: [], tables: [] };
    if (inst.memory) {
      snap.pages = inst.memory.buffer.byteLength / PAGE;
      inst.journal.begin();
    }
    snap.globals = inst.globals.map((g) => g.get());
    snap.tables = inst.tables.map((t) => {
      const e = [];
      for (let i = 0; i < Number(t.length); i++) e.push(t.get(tableIndex(t, i)));
      return e;
    });
    return snap;
  }

  // Ends the transaction of snapshot(inst), keeping what it did.
  commit(inst) { if (inst.journal) inst.journal.end(); }

  // Puts inst back to snap; returns the instance to keep using (a new one
  // when memory or a table grew, as WebAssembly cannot shrink them).
  restore(code, inst, snap) {
    const grew = (inst.memory && inst.memory.buffer.byteLength / PAGE > snap.pages) ||
      inst.tables.some((t, i) => Number(t.length) > snap.tables[i].length);
    let target = inst;
    if (grew) target = this.instantiate(code, snap.pages, null);
    if (inst.memory && !grew) {
      inst.journal.undoInto(Buffer.from(inst.memory.buffer));
    } else if (inst.memory) {
      // A new memory: the old heap (this path alone costs a pass over the
      // heap), then the saved blocks over it.
      const to = Buffer.from(target.memory.buffer);
      copyHeap(Buffer.from(inst.memory.buffer), to, snap.pages);
      inst.journal.undoInto(to);
    }
    if (inst.journal) inst.journal.end();
    target.globals.forEach((g, i) => g.set(snap.globals[i]));
    target.tables.forEach((t, i) => {
      const saved = snap.tables[i];
      if (Number(t.length) < saved.length) t.grow(tableIndex(t, saved.length - Number(t.length)));
      saved.forEach((v, k) => t.set(tableIndex(t, k), grew ? this.sameIn(target, v) : v));
    });
    return target;
  }

  // A table entry of the old instance as the new instance's: a function of
  // the module (its JavaScript name is its index) maps to the new
  // instance's own; null and externref values stay as they are.
  sameIn(target, v) {
    if (typeof v !== 'function' || !/^[0-9]+$/.test(v.name)) return v;
    return target.func(Number(v.name)) || v;
  }

  // ---- executions ----
  // Runs fn (an export) in context ctx; returns the execution record.
  run(inst, fn, ctx, extra) {
    const x = Object.assign({
      ctx, inst, arg: Buffer.alloc(0), reply: [], replySize: 0, responded: false, rejected: null,
      certified: null, timer: null, accepted: false, method: '',
      time: this.now(), trap: null, counter: 0n,
      pending: null, calls: [], logs: [], // the call under construction, calls performed, log lines
    }, extra || {});
    this.x = x;
    try {
      fn();
    } catch (e) {
      x.trap = trapOf(e);
      if (x.trap.internal) { this.x = null; throw e; }
    }
    this.x = null;
    this.keepLogs(x);
    return x;
  }

  now() { return this.p.time_start_ns + this.executions * this.p.time_step_ns; }

  // EDGE-LOGS-ON-TRAP: a replicated execution's lines join the canister
  // log when it ends, with the trap's message if it trapped (the prose and
  // the replica), or nothing of a trapped one (the Formal model's reading).
  keepLogs(x) {
    if (x.ctx & (CTX.NRQ | CTX.CQ | CTX.F)) return; // not replicated: not logged
    if (x.trap && this.reading(READING.LOGS_ON_SUCCESS_ONLY)) return;
    const lines = x.trap ? [...x.logs, Buffer.from(x.trap.message)] : x.logs;
    for (const content of lines) {
      this.logs.push({ idx: this.nextLog++, time: x.time, content });
    }
    const max = this.p.max_log_bytes;
    let bytes = this.logs.reduce((n, r) => n + r.content.length, 0);
    while (max && BigInt(bytes) > max && this.logs.length) bytes -= this.logs.shift().content.length;
  }

  heapOf() { const x = this.x; return x.inst.memory ? Buffer.from(x.inst.memory.buffer) : Buffer.alloc(0); }

  // Checks [addr, addr+size) of the heap; BigInt arguments.
  heapRange(addr, size) {
    const x = this.x;
    if (!x.inst.memory && this.reading(READING.NO_MEMORY_TRAPS))
      throw new Trap(CAT.HEAP_OOB, 'the canister has no memory');
    if (addr + size > this.heapBytes(x.inst)) throw new Trap(CAT.HEAP_OOB, `heap range [${addr}, +${size}) out of bounds`);
    return [Number(addr), Number(size)];
  }
  copyOut(blob, dst, offset, size) { // COPY-1, COPY-7: blob first
    if (offset + size > BigInt(blob.length)) throw new Trap(CAT.CONTRACT, `blob range [${offset}, +${size}) out of bounds`);
    const [d, n] = this.heapRange(dst, size);
    if (!n) return;
    this.x.inst.journal.touchRange(d, n);
    this.heapOf().set(blob.subarray(Number(offset), Number(offset) + n), d);
  }
  bytesIn(src, size) {
    const [s, n] = this.heapRange(src, size);
    return n ? Buffer.from(this.heapOf().subarray(s, s + n)) : Buffer.alloc(0);
  }

  respond() {
    const x = this.x;
    if (x.responded) throw new Trap(CAT.CONTRACT, 'the call was already responded to');
    if (x.callCtx && !x.callCtx.needs) throw new Trap(CAT.CONTRACT, 'the call context needs no response (answered before, or a system task)');
  }

  // The import object: each function checks its context, then works in BigInt.
  ic0Imports(code) {
    const self = this;
    const imports = {};
    for (const imp of code.info.imports) {
      if (imp.kind !== 0 || imp.module !== 'ic0') continue;
      const name = imp.name;
      const [params, results, contexts] = IC0[name];
      const handler = HANDLERS[name];
      const kinds = [...params].map((c) => c === 'i' ? 'i' : c === 'I' ? 'I' : (code.is64 ? 'I' : 'i'));
      const result = results === '' ? '' : results === 'i' ? 'i' : results === 'I' ? 'I' : (code.is64 ? 'I' : 'i');
      imports[name] = function (...args) {
        const x = self.x;
        if (!x) throw new Trap(CAT.NOT_ALLOWED, `ic0.${name} called outside an execution`);
        let allowed = (contexts & x.ctx) !== 0;
        if (x.ctx === CTX.s && (contexts & CTX.s) && name.startsWith('stable') && !self.feature(FEATURE.STABLE_IN_START)) allowed = false;
        if (!allowed) throw new Trap(CAT.NOT_ALLOWED, `ic0.${name} is not allowed in this context`);
        x.counter++;
        const values = args.map((a, k) => kinds[k] === 'i' ? BigInt(a >>> 0) : BigInt.asUintN(64, a));
        if (!handler) throw new Trap(CAT.NOT_MODELLED, `ic0.${name} is not modelled`);
        const r = handler.call(self, values, x, code);
        if (result === 'i') return Number(BigInt.asIntN(32, BigInt(r)));
        if (result === 'I') return BigInt.asIntN(64, BigInt(r));
        return undefined;
      };
    }
    return imports;
  }

  evaluateLowMemory() {
    if (!this.feature(FEATURE.LOW_MEMORY_HOOK) || !this.code) return;
    let capacity = this.limit;
    if (capacity === 0n && !this.reading(READING.LOW_MEMORY_FORMAL_CAPACITY))
      capacity = this.code.is64 && !this.reading(READING.LOW_MEMORY_WASM32_CAPACITY)
        ? this.p.max_heap64_bytes : this.p.max_heap32_bytes; // EDGE-LOWCAP
    const heap = this.heapBytes(this.code.inst);
    if (capacity < heap + this.threshold) {
      if (this.low === 'not-satisfied') this.low = 'ready';
    } else {
      this.low = 'not-satisfied';
    }
  }

  // One message as a transaction. kind: 'U', 'RQ', 'NRQ', 'CQ', 'F', 'T'.
  message(exportName, ctxName, arg, opts) {
    const code = this.code;
    const fn = code.inst.instance.exports[exportName];
    const before = this.heapBytes(code.inst);
    const snap = this.snapshot(code.inst);
    this.stable.begin();
    const ctx = CTX[ctxName];
    const x = this.run(code.inst, fn, ctx, Object.assign({ arg }, opts || {}));
    this.executions++;
    const commit = ctx === CTX.U || ctx === CTX.T;
    let trap = x.trap;
    if (!trap && x.responded && (ctx === CTX.T)) trap = new Trap(CAT.CONTRACT, 'a system task cannot respond');
    if (!trap && this.limit > 0n && this.feature(FEATURE.WASM_MEMORY_LIMIT)) {
      let enforce = ctx === CTX.U;
      if (ctx === CTX.T && opts && opts.task === 'hook') enforce = this.reading(READING.LIMIT_IN_LOW_MEMORY_HOOK);
      else if (ctx === CTX.T) enforce = this.reading(READING.LIMIT_IN_TIMERS);
      const after = this.heapBytes(code.inst);
      if (enforce && after > this.limit && (!this.reading(READING.LIMIT_ON_GROWTH_ONLY) || after > before))
        trap = new Trap(CAT.WASM_MEMORY_LIMIT, `heap of ${after} bytes exceeds wasm_memory_limit ${this.limit}`);
    }
    if (trap || !commit) {
      code.inst = this.restore(code, code.inst, snap);
      this.stable.rollback();
    } else {
      this.commit(code.inst);
      this.stable.commit();
      this.version++;
      if (x.certified) this.certified = x.certified;
      if (x.timer !== null) this.timer = x.timer;
      this.sendCalls(x);
    }
    x.trap = trap;
    if (commit || ctx === CTX.RQ) this.evaluateLowMemory();
    return x;
  }

  // A committed execution's calls become outstanding (CALL-*: sent only
  // when the execution commits) and its response closes the context.
  sendCalls(x) {
    const ctx = x.callCtx;
    if (!ctx) return;
    if (x.responded) ctx.needs = false;
    for (const call of x.calls) {
      call.id = this.nextCall++;
      call.ctx = ctx;
      call.time = x.time;
      ctx.outstanding++;
      this.calls.set(call.id, call);
    }
  }

  // Runs a ready low-memory hook before a replicated message (LOW-4).
  runPendingHook() {
    if (this.low !== 'ready') return;
    this.low = 'executed';
    if (this.code.exportNames.has('canister_on_low_wasm_memory'))
      this.message('canister_on_low_wasm_memory', 'T', Buffer.alloc(0), { task: 'hook', caller: Buffer.alloc(0) });
  }

  // ---- the ABI operations ----
  call(kind, method, arg) {
    if (!this.code) return reject(RC.DESTINATION_INVALID, CAT.CANISTER_EMPTY, 'the canister is empty');
    const code = this.code;
    const has = (n) => code.exportNames.has(n);
    let exportName, ctxName, opts = {};
    if (kind === CALL.UPDATE || kind === CALL.REPLICATED_QUERY) {
      this.runPendingHook(); // before the message, even one then refused
      if (kind === CALL.UPDATE && has('canister_update ' + method)) { exportName = 'canister_update ' + method; ctxName = 'U'; }
      else if (has('canister_query ' + method)) { exportName = 'canister_query ' + method; ctxName = 'RQ'; }
    } else if (kind === CALL.QUERY) {
      if (has('canister_query ' + method)) { exportName = 'canister_query ' + method; ctxName = 'NRQ'; }
      else if (has('canister_composite_query ' + method)) { exportName = 'canister_composite_query ' + method; ctxName = 'CQ'; }
    } else if (kind === CALL.INSPECT) {
      if (!has('canister_inspect_message')) return done(OUT.REPLY, RC.NONE, CAT.NONE, 'no canister_inspect_message: accepted');
      exportName = 'canister_inspect_message'; ctxName = 'F'; opts.method = method;
    } else if (kind === CALL.SYSTEM_TASK) {
      ctxName = 'T'; opts.caller = Buffer.alloc(0);
      if (method === 'canister_on_low_wasm_memory') {
        if (!this.feature(FEATURE.LOW_MEMORY_HOOK)) return reject(RC.DESTINATION_INVALID, CAT.UNSUPPORTED, 'no low-memory hook in this profile');
        if (this.low !== 'ready') return reject(RC.DESTINATION_INVALID, CAT.TASK_NOT_SCHEDULED, 'canister_on_low_wasm_memory is not scheduled');
        this.low = 'executed';
        if (!has(method)) return reject(RC.DESTINATION_INVALID, CAT.METHOD_NOT_FOUND, 'no canister_on_low_wasm_memory export');
        opts.task = 'hook';
        exportName = method;
      } else if (method === 'canister_heartbeat' || method === 'canister_global_timer') {
        this.runPendingHook();
        if (!has(method)) return reject(RC.DESTINATION_INVALID, CAT.METHOD_NOT_FOUND, `no ${method} export`);
        if (method === 'canister_global_timer') {
          if (this.timer === 0n) return reject(RC.DESTINATION_INVALID, CAT.TASK_NOT_SCHEDULED, 'the global timer is not set');
          this.timer = 0n; // EDGE-TIMER-TRAP: deactivated before it runs
        }
        exportName = method;
      } else {
        return reject(RC.DESTINATION_INVALID, CAT.METHOD_NOT_FOUND, `${method} is not a system task`);
      }
    } else {
      return { status: ERR_ARGUMENT, message: 'unknown call kind' };
    }
    if (!exportName) return reject(RC.DESTINATION_INVALID, CAT.METHOD_NOT_FOUND, `no method ${method}`);
    if (kind === CALL.UPDATE || kind === CALL.REPLICATED_QUERY) opts.replicated = true;
    // the call context; a system task's needs no response
    if (ctxName === 'U' || ctxName === 'T') opts.callCtx = { needs: ctxName === 'U', outstanding: 0, caller: opts.caller || USER_PRINCIPAL };
    // EDGE-WMLIMIT, the replica's reading: an update already over the limit fails before it runs
    if (ctxName === 'U' && this.reading(READING.LIMIT_CHECKED_AT_START) && this.limit > 0n &&
        this.feature(FEATURE.WASM_MEMORY_LIMIT) && this.heapBytes(this.code.inst) > this.limit)
      return done(OUT.TRAP, RC.CANISTER_ERROR, CAT.WASM_MEMORY_LIMIT, 'the heap is already over wasm_memory_limit');
    const x = this.message(exportName, ctxName, Buffer.from(arg), opts);
    if (x.trap) return done(OUT.TRAP, RC.CANISTER_ERROR, x.trap.category, x.trap.message);
    if (ctxName === 'F') {
      return x.accepted ? done(OUT.REPLY, RC.NONE, CAT.NONE, 'message accepted')
        : reject(RC.CANISTER_REJECT, CAT.MESSAGE_NOT_ACCEPTED, 'canister_inspect_message did not accept');
    }
    if (x.rejected) return done(OUT.REJECT, RC.CANISTER_REJECT, CAT.NONE, 'canister rejected', x.rejected);
    if (x.responded) return done(OUT.REPLY, RC.NONE, CAT.NONE, 'replied', Buffer.concat(x.reply));
    if (ctxName === 'T') return done(OUT.NO_REPLY, RC.NONE, CAT.NONE, 'task completed');
    if (x.callCtx && x.callCtx.outstanding > 0) return done(OUT.PENDING, RC.NONE, CAT.NONE, `${x.callCtx.outstanding} calls outstanding`);
    return done(OUT.NO_REPLY, RC.CANISTER_ERROR, CAT.NONE, 'returned without a response');
  }

  install(mode, skipPreUpgrade, persistence, wasm, arg) {
    if (mode === MODE.UNINSTALL) {
      this.uninstall();
      return done(OUT.REPLY, RC.NONE, CAT.NONE, 'uninstalled');
    }
    if (mode !== MODE.INSTALL && mode !== MODE.REINSTALL && mode !== MODE.UPGRADE)
      return { status: ERR_ARGUMENT, message: 'unknown install mode' };
    return this.installCode(mode, skipPreUpgrade, persistence, wasm, arg);
  }

  // UNI-1: an empty canister; every call context is rejected and deleted,
  // so the callbacks of its outstanding calls never run; the log is cleared.
  uninstall() {
    for (const call of this.calls.values()) { call.ctx.deleted = true; call.ctx.needs = false; }
    this.logs = [];
    this.code = null;
    this.stable = new StableMemory();
    this.certified = Buffer.alloc(0);
    this.timer = 0n;
    this.version++;
    this.low = 'not-satisfied';
  }

  installCode(mode, skipPreUpgrade, persistence, wasm, arg) {
    try {
      if (mode === MODE.INSTALL && this.code) throw new Refusal(CAT.CANISTER_NOT_EMPTY, 'the canister is not empty');
      if (mode === MODE.UPGRADE && !this.code) throw new Refusal(CAT.CANISTER_EMPTY, 'the canister is empty');
      if (mode === MODE.UPGRADE && skipPreUpgrade && !this.feature(FEATURE.SKIP_PRE_UPGRADE))
        throw new Refusal(CAT.UNSUPPORTED, 'skip_pre_upgrade is not enabled by the profile');
      if (mode === MODE.UPGRADE && persistence && !this.feature(FEATURE.WASM_MEMORY_PERSISTENCE))
        throw new Refusal(CAT.UNSUPPORTED, 'wasm_memory_persistence is not enabled by the profile');
      const code = this.prepare(wasm);
      if (mode === MODE.UPGRADE) return this.upgrade(code, skipPreUpgrade, persistence, arg);
      return this.freshInstall(code, arg);
    } catch (e) {
      if (e instanceof Refusal) return done(OUT.INSTALL_REJECTED, e.code, e.category, e.message);
      throw e;
    }
  }

  // Start and init/post_upgrade on a new instance; returns the trap or null.
  startAndInit(code, inst, exportName, arg, pre) {
    if (inst.start) {
      const x = this.run(inst, inst.start, CTX.s, {});
      if (x.trap) return x.trap;
    }
    let x = { certified: null, timer: null };
    if (code.exportNames.has(exportName)) {
      // UPG-2: init and post_upgrade start with the timer off, whatever the old code set
      x = this.run(inst, inst.instance.exports[exportName], CTX.I, { arg: Buffer.from(arg), versionSeen: pre.version, timer: 0n });
      if (x.trap) return x.trap;
    }
    if (this.limit > 0n && this.feature(FEATURE.WASM_MEMORY_LIMIT) && this.heapBytes(inst) > this.limit)
      return new Trap(CAT.WASM_MEMORY_LIMIT, `heap of ${this.heapBytes(inst)} bytes exceeds wasm_memory_limit ${this.limit}`);
    pre.certified = x.certified;
    pre.timer = x.timer;
    return null;
  }

  freshInstall(code, arg) {
    const savedStable = this.stable, savedX = this.executions;
    this.stable = new StableMemory(); // SM-6: a fresh stable memory
    const pre = { version: this.version + 1n };
    const firstLog = this.nextLog;
    let inst, trap;
    try {
      inst = this.instantiate(code, 0, null);
      code.inst = inst;
      trap = this.startAndInit(code, inst, 'canister_init', arg, pre);
    } catch (e) {
      this.stable = savedStable;
      throw e;
    }
    this.executions = savedX + 1n;
    if (trap) {
      this.stable = savedStable;
      return done(OUT.INSTALL_REJECTED, RC.CANISTER_ERROR, trap.category, 'install trapped: ' + trap.message);
    }
    this.code = code;
    this.version++;
    this.logs = this.logs.filter((r) => r.idx >= firstLog); // only what start and init wrote (reinstall purges)
    this.certified = pre.certified || Buffer.alloc(0);
    this.timer = pre.timer || 0n;
    this.low = 'not-satisfied';
    this.evaluateLowMemory();
    return done(OUT.REPLY, RC.NONE, CAT.NONE, 'installed');
  }

  upgrade(code, skipPreUpgrade, persistence, arg) {
    const old = this.code;
    if (old.eop && !persistence) throw new Refusal(CAT.UPGRADE_OPTION, 'enhanced orthogonal persistence needs wasm_memory_persistence');
    if (persistence === KEEP && !code.eop) throw new Refusal(CAT.UPGRADE_OPTION, 'keep needs the new module to support enhanced orthogonal persistence');
    const snap = this.snapshot(old.inst);
    this.stable.begin();
    const fail = (category, message) => {
      old.inst = this.restore(old, old.inst, snap);
      this.stable.rollback();
      return done(OUT.INSTALL_REJECTED, RC.CANISTER_ERROR, category, message);
    };
    this.executions++;
    let preCertified = null;
    if (!skipPreUpgrade && old.exportNames.has('canister_pre_upgrade')) {
      const x = this.run(old.inst, old.inst.instance.exports.canister_pre_upgrade, CTX.G, {});
      if (x.trap) return fail(x.trap.category, 'pre_upgrade trapped: ' + x.trap.message);
      preCertified = x.certified;
    }
    let keptPages = 0, fill = null, adopt = null, segments = null;
    const reapply = this.reading(READING.KEEP_REAPPLIES_DATA);
    if (persistence === KEEP) {
      const heap = old.inst.memory ? Buffer.from(old.inst.memory.buffer) : Buffer.alloc(0);
      keptPages = heap.length / PAGE;
      if (code.memory && code.is64 === old.is64 && code.memory.limits.max !== null &&
          BigInt(keptPages) > code.memory.limits.max) // IC0521, dfinity/ic#10593
        return fail(CAT.WASM_ENGINE, 'failed to grow the wasm memory to the kept heap: beyond the declared maximum');
      if (!code.memory || code.is64 !== old.is64 || BigInt(keptPages) < code.memory.limits.min || BigInt(keptPages) > code.maxPages)
        return fail(CAT.UPGRADE_OPTION, 'the kept heap does not fit the new module\'s memory');
      // The new instance takes the old memory object itself (no copy, the
      // upgrade costs what it writes) when V8 lets it link: the memory's
      // maximum within the new module's, and data segments at constant
      // offsets, whose blocks are saved first so that they can be undone.
      if (old.inst.memory && old.inst.memoryMax <= code.maxPages && code.info.activeData.every((d) => d.offset !== null)) {
        adopt = old.inst;
        segments = saveSegmentBlocks(heap, code.info.activeData);
      } else {
        fill = (memory) => copyHeap(heap, Buffer.from(memory.buffer), keptPages);
      }
    }
    const pre = { version: this.version + 1n };
    let inst;
    try {
      inst = this.instantiate(code, keptPages, reapply ? fill : null, adopt);
    } catch (e) {
      if (segments) putBlocks(Buffer.from(adopt.memory.buffer), segments); // a segment may have been written
      if (e instanceof Refusal) return fail(e.category, e.message);
      throw e;
    }
    // EDGE-KEEP: data segments not re-applied
    if (fill && !reapply) fill(inst.memory);
    if (segments && !reapply) putBlocks(Buffer.from(inst.memory.buffer), segments);
    // On the adopted memory, start and post_upgrade run as a transaction
    // of the new instance: a trap undoes their writes, then the segments',
    // then (fail) pre_upgrade's.
    if (adopt) inst.journal.begin();
    code.inst = inst;
    const trap = this.startAndInit(code, inst, 'canister_post_upgrade', arg, pre);
    if (trap) {
      if (adopt) {
        inst.journal.undoInto(Buffer.from(inst.memory.buffer));
        inst.journal.end();
        putBlocks(Buffer.from(inst.memory.buffer), segments);
      }
      return fail(trap.category, 'upgrade trapped: ' + trap.message);
    }
    if (adopt) inst.journal.end();
    this.commit(old.inst);
    this.stable.commit();
    this.code = code;
    this.version++;
    this.certified = pre.certified || preCertified || this.certified;
    this.timer = pre.timer || 0n;
    // LOW-3: the status survives an upgrade; only a false condition resets it
    this.evaluateLowMemory();
    return done(OUT.REPLY, RC.NONE, CAT.NONE, 'upgraded');
  }

  settings(fields, limit, threshold) {
    if ((fields & SETTING_LIMIT) && !this.feature(FEATURE.WASM_MEMORY_LIMIT))
      return reject(RC.CANISTER_ERROR, CAT.UNSUPPORTED, 'wasm_memory_limit is not enabled by the profile');
    if ((fields & SETTING_THRESHOLD) && !this.feature(FEATURE.LOW_MEMORY_HOOK))
      return reject(RC.CANISTER_ERROR, CAT.UNSUPPORTED, 'wasm_memory_threshold is not enabled by the profile');
    if ((fields & SETTING_THRESHOLD) && threshold > this.p.max_wasm_memory_threshold)
      return reject(RC.CANISTER_ERROR, CAT.INVALID_SETTINGS, 'wasm_memory_threshold above the maximum');
    if (fields & SETTING_LIMIT) {
      if (limit > this.p.max_wasm_memory_limit) return reject(RC.CANISTER_ERROR, CAT.INVALID_SETTINGS, 'wasm_memory_limit above the maximum');
      const heap = this.code ? this.heapBytes(this.code.inst) : 0n;
      if (limit > 0n && limit < heap) return reject(RC.CANISTER_ERROR, CAT.INVALID_SETTINGS, 'wasm_memory_limit below the current heap');
      this.limit = limit;
    }
    if (fields & SETTING_THRESHOLD) this.threshold = threshold;
    this.version++;
    this.evaluateLowMemory();
    return done(OUT.REPLY, RC.NONE, CAT.NONE, 'settings updated');
  }

  // ---- snapshots (SNAP-*): the management canister's methods ----
  snapshotFeature(f, what) {
    if (!this.feature(f)) return reject(RC.CANISTER_ERROR, CAT.UNSUPPORTED, `${what} is not enabled by the profile`);
    return null;
  }
  snapshotRoom(replace) {
    if (replace) return this.snapshots.has(replace) ? null : reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_NOT_FOUND, `no snapshot ${replace} to replace`);
    const max = this.p.max_snapshots; // 0: no limit
    return !max || BigInt(this.snapshots.size) < max ? null : reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_LIMIT, `already ${max} snapshots`);
  }
  addSnapshot(snap, replace) {
    if (replace) this.snapshots.delete(replace);
    snap.id = this.nextSnapshot++;
    this.snapshots.set(snap.id, snap);
    return { ...done(OUT.REPLY, RC.NONE, CAT.NONE, `snapshot ${snap.id}`), value: snap.id };
  }
  hookStatus() { return { 'not-satisfied': HOOK.NOT_SATISFIED, ready: HOOK.READY, executed: HOOK.EXECUTED }[this.low]; }

  takeSnapshot(flags, replace) {
    const refused = this.snapshotFeature(FEATURE.SNAPSHOTS, 'take_canister_snapshot') ||
      ((flags & TAKE_UNINSTALL) && this.snapshotFeature(FEATURE.SNAPSHOT_UNINSTALL, 'take_canister_snapshot with uninstall_code')) ||
      this.snapshotRoom(replace);
    if (refused) return refused;
    if (!this.code) return reject(RC.CANISTER_ERROR, CAT.CANISTER_EMPTY, 'the canister is empty: nothing to snapshot');
    const inst = this.code.inst;
    const snap = {
      source: SOURCE.TAKEN, takenAt: this.now(), version: this.version,
      module: Sparse.of(this.code.raw),
      heap: inst.memory ? Sparse.of(Buffer.from(inst.memory.buffer)) : new Sparse(0n),
      stable: Sparse.ofStable(this.stable),
      globals: snapshotGlobals(this.code, inst),
      certified: Buffer.from(this.certified),
      timerState: this.timer ? TIMER.ACTIVE : TIMER.INACTIVE, timer: this.timer,
      hook: this.hookStatus(),
    };
    const result = this.addSnapshot(snap, replace);
    if (flags & TAKE_UNINSTALL) this.uninstall(); // atomically, since 0.54.0
    return result;
  }

  // foreign: the snapshot belongs to another canister; its bytes (from
  // exportSnapshot) are in `bytes`, null when that canister has no such one.
  loadSnapshot(id, foreign, bytes) {
    const refused = this.snapshotFeature(FEATURE.SNAPSHOTS, 'load_canister_snapshot') ||
      (foreign && this.snapshotFeature(FEATURE.SNAPSHOT_LOAD_OTHER, 'loading a snapshot of another canister'));
    if (refused) return refused;
    const snap = foreign ? bytes && snapshotFromBytes(bytes) : this.snapshots.get(id);
    if (!snap) return reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_NOT_FOUND, `no snapshot ${id}`);
    let code;
    try {
      code = this.prepare(snap.module.dense());
    } catch (e) {
      if (e instanceof Refusal) return reject(RC.CANISTER_ERROR, e.category, 'the snapshot\'s module: ' + e.message);
      throw e;
    }
    const sizes = (m) => reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_SIZES, m);
    if (snap.heap.size % BPAGE || snap.stable.size % BPAGE) return sizes('memory sizes are not whole 64 KiB pages');
    const pages = snap.heap.size / BPAGE;
    if (!code.memory && pages) return sizes('a heap for a module without memory');
    if (code.memory && pages < code.memory.limits.min) return sizes('the heap is below the module\'s minimum');
    if (snap.stable.size > this.p.max_stable_bytes) return sizes('stable memory beyond the profile\'s maximum');
    if (code.memory && pages > code.maxPages) // the declared maximum, or the profile's: IC0521, dfinity/ic#10593
      return reject(RC.CANISTER_ERROR, CAT.WASM_ENGINE, 'the heap is beyond the module\'s maximum');
    const want = snapshotGlobalTypes(code.info);
    if (want.length !== snap.globals.length || want.some((t, k) => t !== snap.globals[k].type))
      return reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_GLOBALS, `the snapshot's ${snap.globals.length} globals do not match the module's ${want.length} (SNAP-2)`);
    if (snap.source === SOURCE.UPLOADED && snap.hook && this.feature(FEATURE.LOW_MEMORY_HOOK)) {
      const condition = this.lowMemoryCapacity(code) < snap.heap.size + this.threshold;
      if (condition !== (snap.hook !== HOOK.NOT_SATISFIED))
        return reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_HOOK_STATUS, 'the hook status contradicts the hook condition of the snapshot\'s heap');
    }
    // A fresh instance (tables as the module makes them, (start) not run)
    // whose heap, globals and stable memory become the snapshot's.
    const inst = this.instantiate(code, Number(pages), null);
    if (inst.memory) {
      const heap = Buffer.from(inst.memory.buffer);
      if (code.info.activeData.some((d) => d.offset === null)) heap.fill(0);
      else for (const k of saveSegmentBlocks(heap, code.info.activeData).keys()) heap.fill(0, k * PAGE, (k + 1) * PAGE);
      snap.heap.copyInto(heap);
    }
    setSnapshotGlobals(code, inst, snap.globals);
    code.inst = inst;
    this.code = code;
    this.stable = snap.stable.toStable();
    this.certified = Buffer.from(snap.certified);
    if (snap.source === SOURCE.UPLOADED && snap.timerState !== TIMER.ABSENT) this.timer = snap.timerState === TIMER.ACTIVE ? snap.timer : 0n;
    if (snap.source === SOURCE.UPLOADED && snap.hook) this.low = { 1: 'not-satisfied', 2: 'ready', 3: 'executed' }[snap.hook];
    this.version++;
    this.evaluateLowMemory();
    return done(OUT.REPLY, RC.NONE, CAT.NONE, `snapshot ${id} loaded`);
  }

  // The hook's capacity (EDGE-LOWCAP), as evaluateLowMemory computes it.
  lowMemoryCapacity(code) {
    let capacity = this.limit;
    if (capacity === 0n && !this.reading(READING.LOW_MEMORY_FORMAL_CAPACITY))
      capacity = code.is64 && !this.reading(READING.LOW_MEMORY_WASM32_CAPACITY) ? this.p.max_heap64_bytes : this.p.max_heap32_bytes;
    return capacity;
  }

  exportSnapshot(id) {
    const snap = this.snapshots.get(id);
    if (!snap) return reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_NOT_FOUND, `no snapshot ${id}`);
    return done(OUT.REPLY, RC.NONE, CAT.NONE, `snapshot ${id}`, v8.serialize(snap));
  }

  listSnapshots() {
    const parts = [];
    for (const snap of this.snapshots.values()) {
      const r = Buffer.alloc(24);
      r.writeBigUInt64LE(snap.id, 0);
      r.writeBigUInt64LE(snapshotSize(snap), 8);
      r.writeBigUInt64LE(snap.takenAt, 16);
      parts.push(r);
    }
    return { status: OK, value: BigInt(parts.length), payload: Buffer.concat(parts) };
  }

  deleteSnapshot(id) {
    const refused = this.snapshotFeature(FEATURE.SNAPSHOTS, 'delete_canister_snapshot');
    if (refused) return refused;
    if (!this.snapshots.delete(id)) return reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_NOT_FOUND, `no snapshot ${id}`);
    return done(OUT.REPLY, RC.NONE, CAT.NONE, `snapshot ${id} deleted`);
  }

  readSnapshotMetadata(id) {
    const refused = this.snapshotFeature(FEATURE.SNAPSHOT_DATA, 'read_canister_snapshot_metadata');
    if (refused) return refused;
    const snap = this.snapshots.get(id);
    if (!snap) return reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_NOT_FOUND, `no snapshot ${id}`);
    return done(OUT.REPLY, RC.NONE, CAT.NONE, 'metadata', encodeMetadata(snap));
  }

  // The chunk of data_kind at [offset, offset + size), checked against the size.
  snapshotData(id, kind, offset, size, upload) {
    const refused = this.snapshotFeature(FEATURE.SNAPSHOT_DATA, upload ? 'upload_canister_snapshot_data' : 'read_canister_snapshot_data');
    if (refused) return { refused };
    const snap = this.snapshots.get(id);
    if (!snap) return { refused: reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_NOT_FOUND, `no snapshot ${id}`) };
    const data = { 1: snap.module, 2: snap.heap, 3: snap.stable }[kind];
    if (!data) return { refused: { status: ERR_ARGUMENT, message: `unknown snapshot data kind ${kind}` } };
    if (upload && snap.source !== SOURCE.UPLOADED)
      return { refused: reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_NOT_UPLOADED, `snapshot ${id} was taken, not uploaded`) };
    if (offset + size > data.size)
      return { refused: reject(RC.CANISTER_ERROR, CAT.SNAPSHOT_RANGE, `[${offset}, +${size}) beyond the ${data.size} bytes`) };
    return { data };
  }
  readSnapshotData(id, kind, offset, size) {
    const { refused, data } = this.snapshotData(id, kind, offset, size, false);
    if (refused) return refused;
    return done(OUT.REPLY, RC.NONE, CAT.NONE, 'chunk', data.read(offset, Number(size)));
  }
  uploadSnapshotData(id, kind, offset, bytes) {
    const { refused, data } = this.snapshotData(id, kind, offset, BigInt(bytes.length), true);
    if (refused) return refused;
    data.write(offset, bytes);
    return done(OUT.REPLY, RC.NONE, CAT.NONE, 'chunk uploaded');
  }

  uploadSnapshotMetadata(body, replace) {
    const refused = this.snapshotFeature(FEATURE.SNAPSHOT_DATA, 'upload_canister_snapshot_metadata') || this.snapshotRoom(replace);
    if (refused) return refused;
    const m = decodeMetadata(body);
    if (!m || m.timerState > TIMER.ABSENT || m.hook > HOOK.EXECUTED) return { status: ERR_ARGUMENT, message: 'malformed snapshot metadata' };
    return this.addSnapshot({
      source: SOURCE.UPLOADED, takenAt: this.now(), version: this.version,
      module: new Sparse(m.moduleSize), heap: new Sparse(m.heapSize), stable: new Sparse(m.stableSize),
      globals: m.globals, certified: m.certified,
      timerState: m.timerState, timer: m.timer, hook: m.hook,
    }, replace);
  }

  // ---- responses to outstanding calls (CALL-*, CB-*) ----
  // The callee's reply or reject runs the call's reply or reject callback
  // as an execution of its own (context Ry or Rt); if that traps, its
  // changes are undone and the cleanup callback, if any, runs in context C
  // on the state before it, committing only its heap, stable memory,
  // globals and timer. A context with no reply and no calls left is then
  // rejected with CANISTER_ERROR (the Formal model's starvation rule).
  deliver(id, kind, rejectCode, payload) {
    const call = this.calls.get(id);
    if (!call) return { status: ERR_ARGUMENT, message: `no outstanding call ${id}` };
    if (kind !== 1 && kind !== 2) return { status: ERR_ARGUMENT, message: `unknown response kind ${kind}` };
    if (kind === 2 && (rejectCode < RC.SYS_FATAL || rejectCode > RC.SYS_UNKNOWN)) return { status: ERR_ARGUMENT, message: `reject code ${rejectCode} is not 1..6` };
    if (kind === 2 && rejectCode === RC.SYS_UNKNOWN && call.timeout === null)
      return { status: ERR_ARGUMENT, message: `call ${id} is not best-effort: no SYS_UNKNOWN` };
    this.calls.delete(id);
    const ctx = call.ctx;
    ctx.outstanding--;
    if (ctx.deleted || !this.code) return done(OUT.RETURNED, RC.NONE, CAT.CALL_CONTEXT_DELETED, 'the call context was deleted (uninstall): no callback runs');
    const wasNeeded = ctx.needs;
    const params = {
      callCtx: ctx, caller: ctx.caller, rejectCode: kind === 1 ? 0 : rejectCode,
      deadline: call.timeout !== null ? call.time + BigInt(Math.min(call.timeout, MAX_CALL_TIMEOUT)) * 1000000000n : 0n,
    };
    if (kind === 1) params.arg = Buffer.from(payload); else params.rejectMsg = Buffer.from(payload);
    const x = this.transaction(kind === 1 ? 'Ry' : 'Rt', kind === 1 ? call.reply : call.reject, params);
    let cleanupNote = '';
    if (x.trap && call.cleanup) {
      const y = this.transaction('C', call.cleanup, { rejectCode: params.rejectCode, caller: ctx.caller });
      cleanupNote = y.trap ? `; the cleanup callback trapped too: ${y.trap.message}` : '; the cleanup callback ran';
    }
    this.executions++;
    const starved = ctx.needs && ctx.outstanding === 0;
    if (starved) ctx.needs = false; // rejected with CANISTER_ERROR
    if (x.trap) return done(OUT.TRAP, RC.CANISTER_ERROR, x.trap.category, 'callback trapped: ' + x.trap.message + cleanupNote);
    if (x.rejected) return done(OUT.REJECT, RC.CANISTER_REJECT, CAT.NONE, 'canister rejected', x.rejected);
    if (x.responded) return done(OUT.REPLY, RC.NONE, CAT.NONE, 'replied', Buffer.concat(x.reply));
    if (!wasNeeded) return done(OUT.RETURNED, RC.NONE, CAT.NONE, 'callback returned; no response was due');
    if (!starved) return done(OUT.PENDING, RC.NONE, CAT.NONE, `${ctx.outstanding} calls outstanding`);
    return done(OUT.NO_REPLY, RC.CANISTER_ERROR, CAT.NONE, 'no calls left and no response: the context is rejected');
  }

  // Runs closure (a table index and env) of the installed code as one
  // transaction in context ctxName; returns the execution record.
  transaction(ctxName, closure, params) {
    const code = this.code;
    const snap = this.snapshot(code.inst);
    this.stable.begin();
    const x = this.run(code.inst, () => this.invokeClosure(code, closure), CTX[ctxName], params);
    if (x.trap) {
      code.inst = this.restore(code, code.inst, snap);
      this.stable.rollback();
      return x;
    }
    this.commit(code.inst);
    this.stable.commit();
    this.version++;
    if (x.timer !== null) this.timer = x.timer;
    if (ctxName !== 'C') { // a cleanup sends no calls, sets no certified data and cannot respond
      if (x.certified) this.certified = x.certified;
      this.sendCalls(x);
    }
    this.evaluateLowMemory();
    return x;
  }

  // The callback at table index closure.fun, called with closure.env: it
  // must be a function of type (I) -> () (EDGE-REINSTALL-CB: the table of
  // the code installed now).
  invokeClosure(code, closure) {
    const inst = code.inst;
    const table = inst.tables[0];
    if (!table || closure.fun >= BigInt(table.length)) throw new Trap(CAT.TABLE_OOB, `callback index ${closure.fun} outside the table`);
    const f = table.get(tableIndex(table, Number(closure.fun)));
    if (typeof f !== 'function') throw new Trap(CAT.UNINIT_ELEMENT, `callback index ${closure.fun} holds no function`);
    const shift = code.memory ? 1 : 0; // the instrumentation's touch import comes first
    const index = /^[0-9]+$/.test(f.name) ? Number(f.name) - shift : -1;
    const type = index >= 0 ? code.info.types[code.info.funcTypes[index]] : null;
    const I = code.is64 ? 0x7e : 0x7f;
    if (!type || type.params.length !== 1 || type.params[0] !== I || type.results.length)
      throw new Trap(CAT.SIG_MISMATCH, `callback ${closure.fun} is not a function of type (${code.is64 ? 'i64' : 'i32'}) -> ()`);
    f(code.is64 ? BigInt.asIntN(64, closure.env) : Number(BigInt.asIntN(32, closure.env)));
  }

  // Record: u64 id, u32 flags, u32 timeout, u64 cycles high and low, u32
  // callee size, u32 method size, u64 payload size, then the bytes.
  outgoingCalls() {
    const parts = [];
    for (const call of this.calls.values()) {
      const payload = Buffer.concat(call.payload);
      const head = Buffer.alloc(48);
      head.writeBigUInt64LE(call.id, 0);
      head.writeUInt32LE((call.timeout !== null ? 1 : 0) | (call.cleanup ? 2 : 0), 8);
      head.writeUInt32LE(call.timeout !== null ? call.timeout : 0, 12);
      head.writeBigUInt64LE(BigInt.asUintN(64, call.cycles >> 64n), 16);
      head.writeBigUInt64LE(BigInt.asUintN(64, call.cycles), 24);
      head.writeUInt32LE(call.callee.length, 32);
      head.writeUInt32LE(call.method.length, 36);
      head.writeBigUInt64LE(BigInt(payload.length), 40);
      parts.push(head, call.callee, call.method, payload);
    }
    return { status: OK, value: BigInt(parts.length / 4), payload: Buffer.concat(parts) };
  }

  // Record: u64 idx, u64 timestamp, u64 size, content.
  canisterLogs() {
    const parts = [];
    for (const r of this.logs) {
      const head = Buffer.alloc(24);
      head.writeBigUInt64LE(r.idx, 0);
      head.writeBigUInt64LE(r.time, 8);
      head.writeBigUInt64LE(BigInt(r.content.length), 16);
      parts.push(head, r.content);
    }
    return { status: OK, value: BigInt(this.logs.length), payload: Buffer.concat(parts) };
  }

  probe(what, offset, size) {
    if (what === 'stable_size') return { status: OK, value: BigInt(this.stable.size) };
    if (what === 'heap_size') return { status: OK, value: this.code ? this.heapBytes(this.code.inst) / BPAGE : 0n };
    if (what === 'read_stable') {
      if (offset + size > BigInt(this.stable.size) * BPAGE) return { status: ERR_ARGUMENT, message: 'outside the stable memory' };
      return { status: OK, payload: Buffer.from(this.stable.read(Number(offset), Number(size))) };
    }
    if (what === 'read_heap') {
      const heap = this.code && this.code.inst.memory ? Buffer.from(this.code.inst.memory.buffer) : Buffer.alloc(0);
      if (offset + size > BigInt(heap.length)) return { status: ERR_ARGUMENT, message: 'outside the heap' };
      return { status: OK, payload: Buffer.from(heap.subarray(Number(offset), Number(offset + size))) };
    }
    return { status: ERR_ARGUMENT, message: 'unknown probe' };
  }
}
const ZERO_PAGE = Buffer.alloc(PAGE);

// The 64 KiB blocks of heap (a Buffer) that active data segments would
// write, as block -> copy of its bytes (segments beyond the heap: up to
// its end, where instantiation stops).
function saveSegmentBlocks(heap, segments) {
  const saved = new Map();
  const pages = BigInt(heap.length / PAGE);
  for (const { offset, length } of segments) {
    if (!length) continue;
    const last = (offset + BigInt(length) - 1n) / BPAGE;
    for (let b = offset / BPAGE; b <= last && b < pages; b++) {
      const k = Number(b);
      if (!saved.has(k)) saved.set(k, Buffer.from(heap.subarray(k * PAGE, (k + 1) * PAGE)));
    }
  }
  return saved;
}
function putBlocks(heap, blocks) {
  for (const [k, bytes] of blocks) bytes.copy(heap, k * PAGE);
}

// Copies the first `pages` pages of heap `from` into heap `to` (Buffers):
// only the non-zero pages are written, and zero pages of `from` clear
// `to`'s, so pages never touched stay unmapped (a 6 GiB heap with a few
// pages written costs a read of 6 GiB, not 6 GiB of resident memory).
function copyHeap(from, to, pages) {
  for (let k = 0; k < pages; k++) {
    const chunk = from.subarray(k * PAGE, (k + 1) * PAGE), dest = to.subarray(k * PAGE, (k + 1) * PAGE);
    if (!chunk.equals(ZERO_PAGE)) chunk.copy(dest); else if (!dest.equals(ZERO_PAGE)) dest.fill(0);
  }
}

// ---- snapshots: contents, globals and the metadata record ----
const SOURCE = { TAKEN: 1, UPLOADED: 2 };
const HOOK = { NOT_SATISFIED: 1, READY: 2, EXECUTED: 3 };
const TAKE_UNINSTALL = 1;
const TIMER = { INACTIVE: 0, ACTIVE: 1, ABSENT: 2 }; // CANMEM_SNAPSHOT_TIMER_*

// Bytes of a given size held as 64 KiB pages, absent = zeros: a snapshot
// of a large, mostly empty heap, or an uploaded snapshot's memories
// before their chunks arrive, cost only the pages written.
class Sparse {
  constructor(size) { this.size = BigInt(size); this.pages = new Map(); }
  static of(buf) {
    const s = new Sparse(buf.length);
    for (let k = 0; k * PAGE < buf.length; k++) {
      const chunk = buf.subarray(k * PAGE, (k + 1) * PAGE);
      if (!chunk.equals(ZERO_PAGE.subarray(0, chunk.length))) s.pages.set(k, Buffer.from(chunk));
    }
    return s;
  }
  static ofStable(stable) {
    const s = new Sparse(BigInt(stable.size) * BPAGE);
    for (const [k, page] of stable.pages) if (k < stable.size) s.pages.set(k, Buffer.from(page));
    return s;
  }
  static revive(o) { const s = new Sparse(o.size); for (const [k, p] of o.pages) s.pages.set(k, Buffer.from(p)); return s; }
  write(offset, bytes) { // offset: BigInt within the size
    let at = Number(offset), done = 0;
    while (done < bytes.length) {
      const k = Math.floor(at / PAGE), within = at % PAGE, n = Math.min(PAGE - within, bytes.length - done);
      let page = this.pages.get(k);
      if (!page) this.pages.set(k, page = Buffer.alloc(PAGE));
      bytes.copy(page, within, done, done + n);
      done += n; at += n;
    }
  }
  read(offset, length) {
    const out = Buffer.alloc(length);
    let at = Number(offset), done = 0;
    while (done < length) {
      const k = Math.floor(at / PAGE), within = at % PAGE, n = Math.min(PAGE - within, length - done);
      const page = this.pages.get(k);
      if (page) page.copy(out, done, within, within + n);
      done += n; at += n;
    }
    return out;
  }
  dense() { return this.read(0n, Number(this.size)); }
  copyInto(heap) { for (const [k, page] of this.pages) page.copy(heap, k * PAGE, 0, Math.min(PAGE, heap.length - k * PAGE)); }
  toStable() {
    const m = new StableMemory();
    m.size = Number(this.size / BPAGE);
    for (const [k, page] of this.pages) m.pages.set(k, Uint8Array.from(page));
    return m;
  }
}

const GLOBAL_TYPE = { 0x7f: 1, 0x7e: 2, 0x7d: 3, 0x7c: 4, 0x7b: 5 }; // CANMEM_GLOBAL_*
// The globals a snapshot holds: numeric or vector, exported or mutable
// (management-canister.md), by index.
function snapshotGlobalIndices(info) {
  const exported = new Map(info.exports.filter((e) => e.kind === 3).map((e) => [e.index, e.name]));
  const list = [];
  info.globalTypes.forEach((g, i) => {
    if (GLOBAL_TYPE[g.type] && (g.mutable || exported.has(i))) list.push({ index: i, type: GLOBAL_TYPE[g.type], mutable: g.mutable, name: exported.get(i) });
  });
  return list;
}
function snapshotGlobalTypes(info) { return snapshotGlobalIndices(info).map((g) => g.type); }
const scratch = new DataView(new ArrayBuffer(8));
function snapshotGlobals(code, inst) {
  const ex = inst.instance.exports;
  return snapshotGlobalIndices(code.info).map((g) => {
    if (g.type === 5) {
      if (g.mutable) return { type: 5, bits: BigInt.asUintN(64, ex['cm:vget' + g.index](0)), hi: BigInt.asUintN(64, ex['cm:vget' + g.index](1)) };
      return { type: 5, bits: 0n, hi: 0n }; // an immutable v128 cannot be read from JavaScript
    }
    const v = (g.mutable ? ex['cm:g' + g.index] : ex[g.name]).value;
    let bits;
    if (g.type === 1) bits = BigInt.asUintN(32, BigInt(v));
    else if (g.type === 2) bits = BigInt.asUintN(64, v);
    else if (g.type === 3) { scratch.setFloat32(0, v, true); bits = BigInt(scratch.getUint32(0, true)); }
    else { scratch.setFloat64(0, v, true); bits = scratch.getBigUint64(0, true); }
    return { type: g.type, bits, hi: 0n };
  });
}
// Sets the mutable ones; an immutable global keeps the module's value.
function setSnapshotGlobals(code, inst, globals) {
  const ex = inst.instance.exports;
  snapshotGlobalIndices(code.info).forEach((g, k) => {
    if (!g.mutable) return;
    const { bits, hi } = globals[k];
    if (g.type === 5) { ex['cm:vset' + g.index](BigInt.asIntN(64, bits), BigInt.asIntN(64, hi)); return; }
    const global = ex['cm:g' + g.index];
    if (g.type === 1) global.value = Number(BigInt.asIntN(32, bits));
    else if (g.type === 2) global.value = BigInt.asIntN(64, bits);
    else if (g.type === 3) { scratch.setUint32(0, Number(BigInt.asUintN(32, bits)), true); global.value = scratch.getFloat32(0, true); }
    else { scratch.setBigUint64(0, bits, true); global.value = scratch.getFloat64(0, true); }
  });
}
function snapshotSize(snap) { return snap.module.size + snap.heap.size + snap.stable.size + BigInt(snap.certified.length); }
// A snapshot of another canister, as exportSnapshot wrote it.
function snapshotFromBytes(bytes) {
  const o = v8.deserialize(bytes);
  return { ...o, module: Sparse.revive(o.module), heap: Sparse.revive(o.heap), stable: Sparse.revive(o.stable), certified: Buffer.from(o.certified) };
}

// The metadata record (docs/adapter-process.md): 4 u32, 7 u64, then the
// globals (u32 type, u32 0, u64 bits, u64 bits_hi) and the certified data.
function encodeMetadata(snap) {
  const head = Buffer.alloc(72);
  head.writeUInt32LE(snap.source, 0);
  head.writeUInt32LE(snap.timerState, 4);
  head.writeUInt32LE(snap.hook || 0, 8);
  head.writeUInt32LE(snap.globals.length, 12);
  [snap.takenAt, snap.version, snap.module.size, snap.heap.size, snap.stable.size, snap.timerState === TIMER.ACTIVE ? snap.timer : 0n,
    BigInt(snap.certified.length)].forEach((v, k) => head.writeBigUInt64LE(v, 16 + 8 * k));
  const globals = snap.globals.map((g) => {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(g.type, 0);
    b.writeBigUInt64LE(g.bits, 8);
    b.writeBigUInt64LE(g.hi, 16);
    return b;
  });
  return Buffer.concat([head, ...globals, snap.certified]);
}
function decodeMetadata(body) {
  if (body.length < 72) return null;
  const count = body.readUInt32LE(12);
  const u64 = (k) => body.readBigUInt64LE(16 + 8 * k);
  const certifiedSize = u64(6);
  if (BigInt(body.length) !== 72n + BigInt(count) * 24n + certifiedSize) return null;
  const globals = [];
  for (let k = 0; k < count; k++) {
    const at = 72 + 24 * k;
    globals.push({ type: body.readUInt32LE(at), bits: body.readBigUInt64LE(at + 8), hi: body.readBigUInt64LE(at + 16) });
  }
  return {
    timerState: body.readUInt32LE(4), hook: body.readUInt32LE(8), globals,
    moduleSize: u64(2), heapSize: u64(3), stableSize: u64(4), timer: u64(5),
    certified: Buffer.from(body.subarray(72 + 24 * count)),
  };
}

// ---- ic0 handlers: (values as unsigned BigInt, execution, code) ----
function stableRange(c, offset, size) {
  if (offset + size > BigInt(c.stable.size) * BPAGE)
    throw new Trap(CAT.STABLE_OOB, `stable range [${offset}, +${size}) out of bounds`);
}
// SM-9: the 4 KiB stable pages one execution touched and wrote, against
// the limits of its kind (message, each install_code execution, query);
// the access that would pass a limit traps before copying.
function stableLimits(c, ctx) {
  const kind = (ctx & (CTX.U | CTX.T | CALLBACK | CTX.C)) ? 'message'
    : (ctx & (CTX.s | CTX.I | CTX.G)) ? 'upgrade' : 'query';
  return [c.p['stable_access_limit_' + kind] / 4096n, c.p['stable_write_limit_' + kind] / 4096n];
}
function touchStable(c, offset, size, write) {
  const x = c.x;
  if (size === 0n) return;
  if (!x.pages) { x.pages = new Map(); x.written = 0n; x.limits = stableLimits(c, x.ctx); }
  const [access, writes] = x.limits;
  if (access === 0n && writes === 0n) return;
  const last = (offset + size - 1n) / 4096n;
  for (let page = offset / 4096n; page <= last; page++) {
    const was = x.pages.get(page);
    if (was === undefined && access !== 0n && BigInt(x.pages.size) >= access)
      throw new Trap(CAT.MEMORY_ACCESS_LIMIT, `over ${access} stable pages accessed in one execution`);
    if (write && !was && writes !== 0n && x.written >= writes)
      throw new Trap(CAT.MEMORY_ACCESS_LIMIT, `over ${writes} stable pages written in one execution`);
    if (write && !was) x.written++;
    x.pages.set(page, write || was === true);
  }
}
function stableWrite(c, offset, src, size) {
  const stableFirst = c.reading(READING.STABLE_BOUND_FIRST);
  if (stableFirst) stableRange(c, offset, size);
  const data = c.bytesIn(src, size);
  if (!stableFirst) stableRange(c, offset, size);
  touchStable(c, offset, size, true);
  c.stable.write(Number(offset), data);
}
function stableRead(c, dst, offset, size) {
  stableRange(c, offset, size); // formal and replica order agree here
  const [d, n] = c.heapRange(dst, size);
  touchStable(c, offset, size, false);
  if (!n) return;
  c.x.inst.journal.touchRange(d, n);
  c.heapOf().set(c.stable.read(Number(offset), n), d);
}
function stableGrow(c, pages, limitBytes) {
  const old = BigInt(c.stable.size);
  if ((old + pages) * BPAGE > limitBytes || (old + pages) * BPAGE > c.p.max_stable_bytes) return -1n;
  c.stable.size = Number(old + pages);
  return old;
}
function too32(c) {
  if (BigInt(c.stable.size) * BPAGE > c.p.max_stable32_bytes)
    throw new Trap(CAT.STABLE_TOO_BIG_32, 'stable memory is too big for the 32-bit API');
}
function blobSize(blob) { return BigInt(blob ? blob.length : 0); }
function pendingCall(x, name) {
  if (x.ctx === CTX.CQ) throw new Trap(CAT.NOT_MODELLED, 'calls from composite queries are not modelled');
  if (!x.pending) throw new Trap(CAT.CONTRACT, `ic0.${name}: no call under construction (call_new first)`);
  return x.pending;
}
// Cycles are modelled as the profile's constant balance less what this
// execution holds on its calls (performed or under construction: a call
// discarded by call_new gives them back). More than the balance traps.
function balance(c, x) {
  return c.p.cycle_balance - x.calls.reduce((n, k) => n + k.cycles, x.pending ? x.pending.cycles : 0n);
}
function addCycles(c, x, amount) {
  const call = pendingCall(x, 'call_cycles_add');
  if (amount > balance(c, x)) throw new Trap(CAT.CONTRACT, 'call_cycles_add: more cycles than the balance');
  call.cycles += amount;
}

const HANDLERS = {
  msg_arg_data_size([], x) { return blobSize(x.arg); },
  msg_arg_data_copy([d, o, s], x) { this.copyOut(x.arg, d, o, s); },
  msg_caller_size([], x) { return blobSize(x.caller || USER_PRINCIPAL); },
  msg_caller_copy([d, o, s], x) { this.copyOut(x.caller || USER_PRINCIPAL, d, o, s); },
  msg_caller_info_data_size() { return 0n; },
  msg_caller_info_data_copy([d, o, s]) { this.copyOut(Buffer.alloc(0), d, o, s); },
  msg_caller_info_signer_size() { return 0n; },
  msg_caller_info_signer_copy([d, o, s]) { this.copyOut(Buffer.alloc(0), d, o, s); },
  msg_deadline([], x) { return x.deadline || 0n; },
  msg_reject_code([], x) { return BigInt(x.rejectCode || 0); },
  msg_reject_msg_size([], x) { return blobSize(x.rejectMsg); },
  msg_reject_msg_copy([d, o, s], x) { this.copyOut(x.rejectMsg, d, o, s); },
  msg_cycles_refunded128([d]) { this.copyOut(Buffer.alloc(16), d, 0n, 16n); },
  msg_cycles_refunded() { return 0n; },
  // ---- calls (CALL-*): built in x.pending, performed into x.calls ----
  call_new([calleeSrc, calleeSize, nameSrc, nameSize, replyFun, replyEnv, rejectFun, rejectEnv], x) {
    if (x.ctx === CTX.CQ) throw new Trap(CAT.NOT_MODELLED, 'calls from composite queries are not modelled');
    x.pending = { // replaces (discards) a call under construction
      callee: this.bytesIn(calleeSrc, calleeSize), method: this.bytesIn(nameSrc, nameSize),
      payload: [], cycles: 0n, timeout: null,
      reply: { fun: replyFun, env: replyEnv }, reject: { fun: rejectFun, env: rejectEnv }, cleanup: null,
    };
  },
  call_on_cleanup([fun, env], x) {
    const call = pendingCall(x, 'call_on_cleanup');
    if (call.cleanup) throw new Trap(CAT.CONTRACT, 'call_on_cleanup called twice for one call');
    call.cleanup = { fun, env };
  },
  // The limit of a request is the reply's (2 MiB: developer docs,
  // "Resource limits"): the byte that would pass it traps.
  call_data_append([src, size], x) {
    const call = pendingCall(x, 'call_data_append');
    const data = this.bytesIn(src, size);
    const held = call.payload.reduce((n, piece) => n + piece.length, 0);
    if (BigInt(held + data.length) > this.p.max_reply_bytes)
      throw new Trap(CAT.CONTRACT, `call_data_append: the payload would exceed ${this.p.max_reply_bytes} bytes`);
    call.payload.push(data);
  },
  call_with_best_effort_response([seconds], x) {
    const call = pendingCall(x, 'call_with_best_effort_response');
    if (call.timeout !== null) throw new Trap(CAT.CONTRACT, 'call_with_best_effort_response called twice for one call');
    call.timeout = Number(seconds);
  },
  call_cycles_add128([high, low], x) { addCycles(this, x, (high << 64n) | low); },
  call_cycles_add([amount], x) { addCycles(this, x, amount); },
  call_perform([], x) {
    const call = pendingCall(x, 'call_perform');
    x.pending = null;
    x.calls.push(call);
    return 0n;
  },
  msg_reply_data_append([src, size], x) {
    this.respond();
    const data = this.bytesIn(src, size);
    const max = x.ctx === CTX.NRQ || x.ctx === CTX.CQ ? this.p.max_query_reply_bytes : this.p.max_reply_bytes;
    if (BigInt(x.replySize + data.length) > max) throw new Trap(CAT.CONTRACT, 'reply larger than the maximum response size');
    x.reply.push(data);
    x.replySize += data.length;
  },
  msg_reply([], x) { this.respond(); x.responded = true; },
  msg_reject([src, size], x) {
    this.respond();
    const data = this.bytesIn(src, size);
    try { new TextDecoder('utf-8', { fatal: true }).decode(data); } catch (e) {
      throw new Trap(CAT.CONTRACT, 'reject message is not UTF-8');
    }
    x.responded = true;
    x.rejected = data;
    x.reply = [];
  },
  msg_cycles_available128([d]) { this.copyOut(Buffer.alloc(16), d, 0n, 16n); },
  msg_cycles_accept128([, , d]) { this.copyOut(Buffer.alloc(16), d, 0n, 16n); },
  msg_cycles_available() { return 0n; },
  msg_cycles_accept() { return 0n; },
  canister_self_size() { return blobSize(SELF_ID); },
  canister_self_copy([d, o, s]) { this.copyOut(SELF_ID, d, o, s); },
  canister_cycle_balance([], x) { return balance(this, x); },
  canister_cycle_balance128([d], x) { this.copyOut(u128(balance(this, x)), d, 0n, 16n); },
  canister_liquid_cycle_balance128([d], x) { this.copyOut(u128(balance(this, x)), d, 0n, 16n); },
  canister_status() { return 1n; },
  canister_version([], x) { return x.versionSeen !== undefined ? x.versionSeen : this.version; },
  msg_method_name_size([], x) { return blobSize(Buffer.from(x.method)); },
  msg_method_name_copy([d, o, s], x) { this.copyOut(Buffer.from(x.method), d, o, s); },
  accept_message([], x) {
    if (x.accepted) throw new Trap(CAT.CONTRACT, 'accept_message called twice');
    x.accepted = true;
  },
  stable64_size() { return BigInt(this.stable.size); },
  stable64_grow([n]) { return stableGrow(this, n, this.p.max_stable_bytes); },
  stable64_write([o, s, n]) { stableWrite(this, o, s, n); },
  stable64_read([d, o, n]) { stableRead(this, d, o, n); },
  stable_size() { too32(this); return BigInt(this.stable.size); },
  stable_grow([n]) { too32(this); return stableGrow(this, n, this.p.max_stable32_bytes); },
  stable_write([o, s, n]) { too32(this); stableWrite(this, o, s, n); },
  stable_read([d, o, n]) { too32(this); stableRead(this, d, o, n); },
  certified_data_set([src, size], x) {
    const data = this.bytesIn(src, size);
    if (BigInt(data.length) > this.p.max_certified_data_bytes) throw new Trap(CAT.CONTRACT, 'certified data too long');
    x.certified = data;
  },
  data_certificate_present() { return 0n; },
  data_certificate_size() { throw new Trap(CAT.CONTRACT, 'no data certificate'); },
  data_certificate_copy() { throw new Trap(CAT.CONTRACT, 'no data certificate'); },
  time([], x) { return x.time; },
  global_timer_set([t], x) {
    const previous = x.timer !== null ? x.timer : this.timer;
    x.timer = t;
    return previous;
  },
  // No instruction counter in V8: the number of System API calls so far.
  performance_counter([type], x) {
    if (BigInt.asUintN(32, type) > 1n) throw new Trap(CAT.CONTRACT, `performance_counter: unknown type ${type}`);
    return x.counter;
  },
  is_controller([src, size]) {
    const principal = this.bytesIn(src, size);
    if (principal.length > 29) throw new Trap(CAT.CONTRACT, 'is_controller: a principal has at most 29 bytes');
    return principal.equals(USER_PRINCIPAL) ? 1n : 0n;
  },
  in_replicated_execution([], x) { return x.ctx & (CTX.NRQ | CTX.CQ | CTX.F) ? 0n : 1n; },
  env_var_count() { return 0n; },
  env_var_name_exists([src, size]) {
    const name = this.bytesIn(src, size);
    try { new TextDecoder('utf-8', { fatal: true }).decode(name); } catch (e) {
      throw new Trap(CAT.CONTRACT, 'env_var_name_exists: the name is not UTF-8');
    }
    return 0n;
  },
  env_var_name_size() { throw new Trap(CAT.CONTRACT, 'no such environment variable'); },
  env_var_name_copy() { throw new Trap(CAT.CONTRACT, 'no such environment variable'); },
  env_var_value_size() { throw new Trap(CAT.CONTRACT, 'no such environment variable'); },
  env_var_value_copy() { throw new Trap(CAT.CONTRACT, 'no such environment variable'); },
  debug_print([src, size], x) { // never traps (MSG-DBG-1); a line of the canister log
    const heap = x.inst.memory ? Buffer.from(x.inst.memory.buffer) : Buffer.alloc(0);
    if (src + size > BigInt(heap.length)) return;
    const line = Buffer.from(heap.subarray(Number(src), Number(src + size)));
    x.logs.push(line);
    if (process.env.CANMEM_V8_DEBUG_PRINT) process.stderr.write('debug_print: ' + line.toString() + '\n');
  },
  trap([src, size], x) {
    const heap = x.inst.memory ? Buffer.from(x.inst.memory.buffer) : Buffer.alloc(0);
    const text = src + size <= BigInt(heap.length) ? heap.subarray(Number(src), Number(src + size)).toString() : '(message out of bounds)';
    throw new Trap(CAT.EXPLICIT_TRAP, 'canister called ic0.trap: ' + text);
  },
};
function u128(v) { const b = Buffer.alloc(16); b.writeBigUInt64LE(BigInt.asUintN(64, v), 0); return b; }

// ---- the binary rewrite ----
// The module's memory becomes an import from the host (so the host owns
// it, whatever the canister exports), capped at the profile's maximum; the
// start section goes (the host runs start in context s); mutable globals,
// tables, the start function and every function a table can hold get
// exports so a trap can be undone (in a new instance if need be). A
// v128 global cannot be read from JavaScript, so each mutable one gets two
// added functions instead: cm:vget<i>(lane) -> i64 and cm:vset<i>(lo, hi).
// A module with a memory is also instrumented so that each message's
// writes to the heap can be undone (instrument.js): an import
// cm:host.touch first among the functions (every function index moves up
// by one), a map memory (memory 1, exported as cm:map) and a function
// mark called before each write.
function rewrite(bytes, info, memory, maxPages, simd) {
  const mapPages = (maxPages + BPAGE - 1n) / BPAGE || 1n;
  const plan = memory ? instrument.makePlan(info, memory.limits.is64, simd, mapPages) : null;
  const shift = plan ? plan.shift : 0;
  const out = [bytes.subarray(0, 8)];
  const section = (id, parts) => {
    const body = Buffer.concat(parts.map((p) => Buffer.from(p)));
    out.push(Buffer.from([id, ...uleb(body.length)]), body);
  };
  const hasMemoryImport = info.imports.some((i) => i.kind === 2);
  const memImport = memory ? [...nameBytes(HOST_MODULE), ...nameBytes('memory'), 2,
    ...limitsBytes({ flags: (memory.limits.flags | 1) & ~2, min: memory.limits.min, max: maxPages })] : null;
  // Entries appended to sections (created when the module has none).
  const extra = new Map([[1, []], [2, []], [3, []], [5, []], [7, []], [10, []]]);
  if (plan) {
    extra.get(1).push(...plan.newTypes);
    if (!info.imports.length) extra.get(2).push(plan.touchImport); // else first in the section
    extra.get(5).push(plan.mapMemory);
  }
  if (memory && !hasMemoryImport) extra.get(2).push(memImport);
  const exports = extra.get(7);
  info.mutableGlobals.forEach((i) => exports.push([...nameBytes('cm:g' + i), 3, ...uleb(i)]));
  info.tables.forEach((_, i) => exports.push([...nameBytes('cm:t' + i), 1, ...uleb(i)]));
  if (info.start !== null) exports.push([...nameBytes('cm:start'), 0, ...uleb(info.start + shift)]);
  // named by their index in the rewritten module, which V8 gives as their JavaScript name
  info.refFuncs.forEach((i) => exports.push([...nameBytes('cm:f' + (i + shift)), 0, ...uleb(i + shift)]));
  if (plan) exports.push([...nameBytes('cm:map'), 2, 1]);
  const getType = info.types.length + (plan ? plan.newTypes.length : 0), setType = getType + 1;
  if (info.mutableV128.length) extra.get(1).push([0x60, 1, 0x7f, 1, 0x7e], [0x60, 2, 0x7e, 0x7e, 0]);
  const added = info.funcTypes.length + shift; // the index of the first added function
  info.mutableV128.forEach((g, k) => {
    const get = added + 2 * k;
    extra.get(3).push(uleb(getType), uleb(setType));
    const lane = (n) => [0x23, ...uleb(g), 0xfd, 0x1d, n]; // global.get; i64x2.extract_lane n
    const getBody = [0, 0x20, 0, 0x04, 0x7e, ...lane(1), 0x05, ...lane(0), 0x0b, 0x0b];
    // local.get 0; i64x2.splat; local.get 1; i64x2.replace_lane 1; global.set
    const setBody = [0, 0x20, 0, 0xfd, 0x12, 0x20, 1, 0xfd, 0x1e, 1, 0x24, ...uleb(g), 0x0b];
    extra.get(10).push([...uleb(getBody.length), ...getBody], [...uleb(setBody.length), ...setBody]);
    exports.push([...nameBytes('cm:vget' + g), 0, ...uleb(get)], [...nameBytes('cm:vset' + g), 0, ...uleb(get + 1)]);
  });
  const markIndex = added + 2 * info.mutableV128.length;
  if (plan) {
    extra.get(3).push(uleb(plan.markType));
    extra.get(10).push(instrument.markBody(plan, 0)); // touch is function 0
  }
  // Sections whose function indices move (plan.shift), and the code.
  const shifted = plan ? {
    4: (s) => instrument.shiftTables(bytes, s, plan), 6: (s) => instrument.shiftGlobals(bytes, s, plan),
    7: (s) => instrument.shiftExports(bytes, s, plan), 9: (s) => instrument.shiftElements(bytes, s, plan),
    10: (s) => instrument.instrumentCode(bytes, s, info, plan, markIndex),
  } : {};
  const order = (id) => ({ 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 })[id] || 0;
  const written = new Set();
  // Creates the sections with additions that come before section id.
  const flushBefore = (rank) => {
    for (const [id, entries] of extra) {
      if (written.has(id) || order(id) >= rank || !entries.length) continue;
      section(id, [uleb(entries.length), ...entries]);
      written.add(id);
    }
  };
  for (const s of info.sections) {
    if (s.id !== 0) flushBefore(order(s.id));
    if (s.id === 5) continue; // the memory is imported now
    if (s.id === 8) continue; // start: run by the host
    if (!extra.has(s.id) && !shifted[s.id]) { out.push(bytes.subarray(s.headerStart, s.end)); continue; }
    const r = new Reader(bytes, s.start, s.end);
    let count = r.u32();
    let entries = [bytes.subarray(r.pos, s.end)];
    if (shifted[s.id]) ({ count, entries } = shifted[s.id](s));
    if (s.id === 2) { // memory imports are replaced by the host's memory
      entries = plan ? [Buffer.from(plan.touchImport)] : [];
      for (let n = count; n > 0; n--) {
        const from = r.pos;
        r.name(); r.name();
        const kind = r.byte();
        if (kind === 0) r.u32(); else if (kind === 1) { r.valtype(); r.limits(); } else if (kind === 2) r.limits();
        else if (kind === 3) { r.valtype(); r.byte(); } else { r.byte(); r.u32(); }
        entries.push(kind === 2 ? memImport : bytes.subarray(from, r.pos));
      }
    }
    if (s.id === 2 && plan) count++;
    const more = extra.get(s.id) || [];
    section(s.id, [uleb(count + more.length), ...entries, ...more]);
    written.add(s.id);
  }
  flushBefore(Infinity);
  return Buffer.concat(out);
}

// ---- outcomes and the protocol loop ----
function done(kind, code, category, message, payload) {
  return { status: OK, kind, code, category, message, payload };
}
function reject(code, category, message) { return done(OUT.REJECT, code, category, message); }

function readExactly(n) {
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    let k;
    try {
      k = fs.readSync(0, buf, got, n - got, null);
    } catch (e) {
      if (e.code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2); continue; }
      if (e.code === 'EOF') return null;
      throw e;
    }
    if (k === 0) return null;
    got += k;
  }
  return buf;
}
function writeAll(buf) {
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(1, buf, off, buf.length - off);
    } catch (e) {
      if (e.code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2); continue; }
      throw e;
    }
  }
}
function send(r) {
  const message = Buffer.from(r.message || '', 'utf8').subarray(0, 511);
  const payload = r.payload ? Buffer.from(r.payload) : Buffer.alloc(0);
  const head = Buffer.alloc(36);
  head.writeUInt32LE(r.status, 0);
  head.writeUInt32LE(r.kind || 0, 4);
  head.writeUInt32LE(r.code || 0, 8);
  head.writeUInt32LE(r.category || 0, 12);
  head.writeBigUInt64LE(BigInt.asUintN(64, r.value || 0n), 16);
  head.writeUInt32LE(message.length, 24);
  head.writeBigUInt64LE(BigInt(payload.length), 28);
  writeAll(Buffer.concat([head, message, payload]));
}

const PROFILE_NUMBERS = ['features', 'readings', 'max_stable_bytes', 'max_stable32_bytes', 'max_heap32_bytes',
  'max_heap64_bytes', 'wasm_memory_limit', 'wasm_memory_threshold', 'max_wasm_memory_limit', 'max_reply_bytes',
  'max_query_reply_bytes', 'max_certified_data_bytes', 'instructions_update', 'instructions_query',
  'instructions_install', 'instructions_inspect', 'max_module_bytes', 'max_functions', 'max_globals',
  'max_exported_methods', 'max_method_name_bytes', 'max_icp_sections', 'max_icp_section_bytes',
  'time_start_ns', 'time_step_ns', 'cycle_balance', 'max_wasm_memory_threshold',
  'stable_access_limit_message', 'stable_access_limit_upgrade', 'stable_access_limit_query',
  'stable_write_limit_message', 'stable_write_limit_upgrade', 'stable_write_limit_query',
  'max_snapshots', 'max_log_bytes'];

// What hello answers (docs/adapter-process.md): the capabilities are those
// of v8_adapter.c's table, so the generic process adapter runs this host too.
const CAPABILITIES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19, 20, 21]
  .reduce((bits, bit) => bits | (1n << BigInt(bit)), 0n);
const PROTOCOL = 1;

function handle(canister, req, body) {
  switch (req.op) {
    case 'hello': {
      if (req.protocol !== PROTOCOL)
        return { response: { status: ERR_UNSUPPORTED, message: `protocol ${req.protocol} unknown; this host speaks ${PROTOCOL}` } };
      const hello = { protocol: PROTOCOL, name: 'v8', version: `Node.js ${process.version}, V8 ${process.versions.v8}`,
        capabilities: CAPABILITIES.toString(), probes: true };
      return { response: { status: OK, payload: Buffer.from(JSON.stringify(hello)) } };
    }
    case 'create': {
      // (memory i64 0): the capabilities promise wasm64, so refuse an old Node.
      const memory64 = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 4, 0);
      if (!WebAssembly.validate(memory64))
        return { response: { status: ERR_UNSUPPORTED, message: `node ${process.version} has no memory64; run runner/adapters/v8/setup.sh` } };
      const p = { name: req.profile.name };
      for (const k of PROFILE_NUMBERS) p[k] = BigInt(req.profile[k] || '0');
      return { canister: new Canister(p), response: { status: OK, message: `node ${process.version}, V8 ${process.versions.v8}` } };
    }
    case 'install': {
      const wasmSize = Number(req.wasm_size);
      if (wasmSize > body.length) return { response: { status: ERR_ARGUMENT, message: 'wasm_size beyond the body' } };
      return { response: canister.install(req.mode, req.skip_pre_upgrade, req.persistence, body.subarray(0, wasmSize), body.subarray(wasmSize)) };
    }
    case 'call': return { response: canister.call(req.kind, req.method, body) };
    case 'settings': return { response: canister.settings(req.fields, BigInt(req.limit), BigInt(req.threshold)) };
    case 'probe': return { response: canister.probe(req.what, BigInt(req.offset || '0'), BigInt(req.size || '0')) };
    // version 2 (docs/adapter-process.md, "Calls, snapshots and logs")
    case 'outgoing_calls': return { response: canister.outgoingCalls() };
    case 'respond': return { response: canister.deliver(BigInt(req.call), req.kind, req.reject_code, body) };
    case 'take_snapshot': return { response: canister.takeSnapshot(req.flags, BigInt(req.replace || '0')) };
    case 'load_snapshot': return { response: canister.loadSnapshot(BigInt(req.id), !!req.foreign, req.missing ? null : body) };
    case 'export_snapshot': return { response: canister.exportSnapshot(BigInt(req.id)) };
    case 'list_snapshots': return { response: canister.listSnapshots() };
    case 'delete_snapshot': return { response: canister.deleteSnapshot(BigInt(req.id)) };
    case 'read_snapshot_metadata': return { response: canister.readSnapshotMetadata(BigInt(req.id)) };
    case 'read_snapshot_data': return { response: canister.readSnapshotData(BigInt(req.id), req.kind, BigInt(req.offset), BigInt(req.size)) };
    case 'upload_snapshot_metadata': return { response: canister.uploadSnapshotMetadata(body, BigInt(req.replace || '0')) };
    case 'upload_snapshot_data': return { response: canister.uploadSnapshotData(BigInt(req.id), req.kind, BigInt(req.offset), body) };
    case 'canister_logs': return { response: canister.canisterLogs() };
    default: return { response: { status: ERR_ARGUMENT, message: 'unknown operation ' + req.op } };
  }
}

function main() {
  let canister = null;
  for (;;) {
    const head = readExactly(12);
    if (!head) return;
    const jsonLen = head.readUInt32LE(0);
    const bodyLen = Number(head.readBigUInt64LE(4));
    const json = readExactly(jsonLen);
    const body = bodyLen ? readExactly(bodyLen) : Buffer.alloc(0);
    if (!json || !body) return;
    let response;
    try {
      const req = JSON.parse(json.toString('utf8'));
      if (req.op !== 'create' && req.op !== 'hello' && !canister) {
        response = { status: ERR_ARGUMENT, message: 'no canister created yet' };
      } else {
        const r = handle(canister, req, body);
        if (r.canister) canister = r.canister;
        response = r.response;
      }
    } catch (e) {
      response = { status: ERR_INTERNAL, message: 'host error: ' + (e && e.stack || e) };
    }
    send(response);
  }
}

// Run as the adapter's child; required (by the benchmarks), only exports.
if (require.main === module) main();
else module.exports = { parseModule, featuresUsed, rewrite, HeapJournal, PAGE };
