'use strict';
// Write tracking for the v8 adapter's transactions (docs/adapter-v8.md,
// "Transactions").
//
// A message that traps must leave the heap as it found it. V8 has no write
// barrier for WebAssembly memory, so the host rewrites the module to say,
// before each write into the heap, which bytes it is about to change:
//
//   - a map in a second memory of the module (memory 1, exported as
//     `cm:map`) has one byte per 64 KiB block of the heap: 1 when the
//     block is already saved in this transaction;
//   - every store (i32/i64/f32/f64 stores of every width, v128.store, the
//     v128 store_lane forms) moves its operands into temporary locals
//     added to the function, computes its effective address ea and looks
//     at ea's byte in the map; when it is 0, or the store crosses into
//     the next block, it calls the added function `mark(ea, len)` (both
//     i64, for wasm32 and wasm64 alike); then it performs the original
//     store on the same operands. memory.fill, memory.copy and
//     memory.init do the same but always call mark;
//   - `mark` ignores a range the instruction will trap on (out of the
//     heap: nothing is written then) and calls the host's `touch(block)`
//     for each block of the range whose byte is 0;
//   - `touch` (an import, cm:host.touch, HeapJournal in host.js) copies the
//     block's old bytes into the transaction's undo log and sets the byte,
//     so each block costs one call per transaction and later writes to it
//     only the map lookup.
//
// Rollback copies the saved blocks back; commit drops them; both clear the
// map bytes they set. Their cost follows the blocks the message wrote, not
// the heap's size. memory.grow needs nothing: WebAssembly memories cannot
// shrink, so a rollback after growth makes a new instance (host.js).
//
// The import is added as the module's first function import, so every
// function index moves up by one: calls, ref.func (in code, globals,
// tables, element segments) and exports are renumbered here. The rest of
// the binary is copied byte for byte.

const TOUCH_MODULE = 'cm:host';

// ---- encoding ----
function uleb(value) {
  if (typeof value === 'number' && value < 0x80000000) { // the common case, without BigInt
    const out = [];
    let v = value;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v) b |= 0x80;
      out.push(b);
    } while (v);
    return out;
  }
  let v = BigInt(value);
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}
function sleb(value) {
  let v = BigInt.asIntN(64, BigInt(value));
  const out = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && !(b & 0x40)) || (v === -1n && (b & 0x40))) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

// Copies a byte range of the source while replacing or inserting pieces
// at given positions (in increasing order).
class Patcher {
  constructor(bytes, from) { this.b = bytes; this.at = from; this.out = []; }
  // Source bytes up to pos, then the given bytes; skips the source to `resume`.
  put(pos, bytes, resume) {
    if (pos > this.at) this.out.push(this.b.subarray(this.at, pos));
    if (bytes.length) this.out.push(Buffer.from(bytes));
    this.at = resume === undefined ? pos : resume;
  }
  finish(end) { this.put(end, []); return Buffer.concat(this.out); }
}

// ---- value types and stores ----
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
// one-byte store opcodes -> [value type, bytes written]
const STORES = new Map([
  [0x36, [I32, 4]], [0x37, [I64, 8]], [0x38, [F32, 4]], [0x39, [F64, 8]],
  [0x3a, [I32, 1]], [0x3b, [I32, 2]], [0x3c, [I64, 1]], [0x3d, [I64, 2]], [0x3e, [I64, 4]],
]);
// 0xfd stores: v128.store and v128.store{8,16,32,64}_lane
const SIMD_STORES = new Map([[0x0b, 16], [0x58, 1], [0x59, 2], [0x5a, 4], [0x5b, 8]]);

// Immediates of the one-byte opcodes (host.js's featuresUsed walks code
// with them too): 'u' = u32, 's' = signed LEB, 'm' = memarg, 'b' = block type,
// 'h' = heap type, 4/8 = raw bytes.
const IMMEDIATES = (() => {
  const t = new Map();
  const set = (ops, imm) => { for (const op of ops) t.set(op, imm); };
  const range = (a, b) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
  set([0x00, 0x01, 0x05, 0x0b, 0x0f, 0x1a, 0x1b, 0xd1], '');
  set([0x02, 0x03, 0x04], 'b');
  set([0x0c, 0x0d, 0x10, 0x12, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x3f, 0x40, 0xd2], 'u');
  set([0x11, 0x13], 'uu');
  set(range(0x28, 0x3e), 'm');
  set([0x41, 0x42], 's');
  t.set(0x43, 4); t.set(0x44, 8);
  set(range(0x45, 0xc4), '');
  t.set(0xd0, 'h');
  return t;
})();
// How many u32 indices follow each 0xfc opcode: 0-7 saturating truncation,
// memory.init, data.drop, memory.copy, memory.fill, table.init, elem.drop,
// table.copy, table.grow, table.size, table.fill.
const FC_INDICES = [0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 2, 1, 2, 1, 1, 1];

// ---- a reader over the module ----
// (The module is valid: V8 has validated it, and host.js parsed it.)
class Cursor {
  constructor(bytes, pos) { this.b = bytes; this.pos = pos; }
  byte() { return this.b[this.pos++]; }
  // An unsigned LEB128 as a Number, or as a BigInt beyond 2^49.
  u64() {
    const start = this.pos;
    let result = 0, scale = 1;
    for (;;) {
      const x = this.byte();
      result += (x & 0x7f) * scale;
      if (!(x & 0x80)) return result;
      scale *= 128;
      if (scale > 2 ** 49) break;
    }
    this.pos = start;
    let big = 0n, shift = 0n;
    for (;;) {
      const x = this.byte();
      big |= BigInt(x & 0x7f) << shift;
      if (!(x & 0x80)) return big;
      shift += 7n;
    }
  }
  u32() {
    let result = 0, scale = 1;
    for (;;) {
      const x = this.byte();
      result += (x & 0x7f) * scale;
      if (!(x & 0x80)) return result;
      scale *= 128;
    }
  }
  skipSigned() { while (this.byte() & 0x80); }
  valtype() { const t = this.byte(); if (t === 0x63 || t === 0x64) this.skipSigned(); return t; }
  memarg() { const align = this.u32(); if (align & 0x40) this.u32(); return this.u64(); } // -> offset
}

// Copies a constant expression at c.pos (up to its end) into p, moving
// the function index of each ref.func by shift.
function shiftConstExpr(c, p, shift) {
  for (;;) {
    const op = c.byte();
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x42) c.skipSigned();
    else if (op === 0x43) c.pos += 4;
    else if (op === 0x44) c.pos += 8;
    else if (op === 0x23) c.u32();
    else if (op === 0xd0) c.skipSigned();
    else if (op === 0xfd) { c.u32(); c.pos += 16; }
    else if (op === 0xd2) { const at = c.pos; const f = c.u32(); p.put(at, uleb(f + shift), c.pos); }
  }
}

// ---- the plan: what the rewrite adds ----
// info: host.js parseModule; is64: the heap is memory64; simd: the module
// uses v128 (a v128 temporary is added only then); mapPages: the map
// memory's size in pages.
function makePlan(info, is64, simd, mapPages) {
  const markType = info.types.length; // (i64, i64) -> ()
  const touchType = markType + 1; // (i32) -> ()
  return {
    is64, simd, mapPages, markType, touchType,
    shift: 1, // the touch import comes first
    newTypes: [[0x60, 2, I64, I64, 0], [0x60, 1, I32, 0]],
    touchImport: [...nameBytes(TOUCH_MODULE), ...nameBytes('touch'), 0, ...uleb(touchType)],
    // the map: one byte per 64 KiB block of the largest heap
    mapMemory: [1, ...uleb(mapPages), ...uleb(mapPages)],
  };
}
function nameBytes(s) { const b = Buffer.from(s, 'utf8'); return [...uleb(b.length), ...b]; }

// The body of mark(ea i64, len i64), locals: 2 = block, 3 = end then the last block.
function markBody(plan, touchIndex) {
  const size = [0x3f, 0x00, ...(plan.is64 ? [] : [0xad])]; // memory.size 0 as i64
  const code = [
    1, 2, I64, // two i64 locals
    0x20, 1, 0x50, 0x04, 0x40, 0x0f, 0x0b, // len == 0: nothing
    0x20, 0, 0x20, 1, 0x7c, 0x22, 3, // end = ea + len
    0x20, 0, 0x54, 0x04, 0x40, 0x0f, 0x0b, // wrapped: the access traps
    0x20, 3, ...size, 0x42, 16, 0x86, 0x56, 0x04, 0x40, 0x0f, 0x0b, // beyond the heap: traps
    0x20, 0, 0x42, 16, 0x88, 0x21, 2, // block = ea >> 16
    0x20, 3, 0x42, 1, 0x7d, 0x42, 16, 0x88, 0x21, 3, // last = (end - 1) >> 16
    0x03, 0x40,
    0x20, 2, 0xa7, 0x2d, 0x40, 1, 0, // i32.load8_u of memory 1 at block
    0x45, 0x04, 0x40, 0x20, 2, 0xa7, 0x10, ...uleb(touchIndex), 0x0b, // not yet saved: touch(block)
    0x20, 2, 0x42, 1, 0x7c, 0x22, 2, 0x20, 3, 0x58, 0x0d, 0, // next block while <= last
    0x0b,
    0x0b,
  ];
  return [...uleb(code.length), ...code];
}

// ---- sections ----
// Each returns { count, entries } for the section's entries, renumbered.

function shiftExports(bytes, s, plan) {
  const c = new Cursor(bytes, s.start);
  const count = c.u32();
  const p = new Patcher(bytes, c.pos);
  for (let n = count; n > 0; n--) {
    const nameLength = c.u32();
    c.pos += nameLength; // the name
    const kind = c.byte();
    const at = c.pos;
    const index = c.u32();
    if (kind === 0) p.put(at, uleb(index + plan.shift), c.pos);
  }
  return { count, entries: [p.finish(s.end)] };
}

function shiftGlobals(bytes, s, plan) {
  const c = new Cursor(bytes, s.start);
  const count = c.u32();
  const p = new Patcher(bytes, c.pos);
  for (let n = count; n > 0; n--) { c.valtype(); c.byte(); shiftConstExpr(c, p, plan.shift); }
  return { count, entries: [p.finish(s.end)] };
}

function shiftTables(bytes, s, plan) {
  const c = new Cursor(bytes, s.start);
  const count = c.u32();
  const p = new Patcher(bytes, c.pos);
  const limits = () => { const flags = c.byte(); c.u64(); if (flags & 1) c.u64(); };
  for (let n = count; n > 0; n--) {
    if (c.b[c.pos] === 0x40) { c.pos += 2; c.valtype(); limits(); shiftConstExpr(c, p, plan.shift); }
    else { c.valtype(); limits(); }
  }
  return { count, entries: [p.finish(s.end)] };
}

function shiftElements(bytes, s, plan) {
  const c = new Cursor(bytes, s.start);
  const count = c.u32();
  const p = new Patcher(bytes, c.pos);
  for (let n = count; n > 0; n--) {
    const flags = c.u32();
    if (flags & 2 && !(flags & 1)) c.u32(); // table index
    if (!(flags & 1)) shiftConstExpr(c, p, plan.shift); // offset
    if (flags & 3) { if (flags & 4) c.valtype(); else c.byte(); }
    for (let k = c.u32(); k > 0; k--) {
      if (flags & 4) { shiftConstExpr(c, p, plan.shift); continue; }
      const at = c.pos;
      const f = c.u32();
      p.put(at, uleb(f + plan.shift), c.pos);
    }
  }
  return { count, entries: [p.finish(s.end)] };
}

// The code section: every body renumbered and instrumented. markIndex is
// the (new) index of the added mark function.
function instrumentCode(bytes, s, info, plan, markIndex) {
  const c = new Cursor(bytes, s.start);
  const count = c.u32();
  const entries = [];
  for (let f = 0; f < count; f++) {
    const size = c.u32();
    const end = c.pos + size;
    const type = info.types[info.funcTypes[info.importedFuncs + f]];
    entries.push(instrumentBody(c, end, type.params.length, plan, markIndex));
    c.pos = end;
  }
  return { count, entries };
}

function instrumentBody(c, end, params, plan, markIndex) {
  const A = plan.is64 ? I64 : I32;
  // locals: the declared ones, then the temporaries
  let declared = 0;
  const groups = c.u32();
  const groupsAt = c.pos;
  for (let k = 0; k < groups; k++) { declared += c.u32(); c.valtype(); }
  const localsEnd = c.pos;
  const base = params + declared;
  const temps = [[3, A], [2, I32], [1, I64], [1, F32], [1, F64]];
  if (plan.simd) temps.push([1, V128]);
  const L = {};
  let next = base;
  [['a1', 'a2', 'a3'], ['i1', 'i2'], ['j'], ['f'], ['d'], ['v']].forEach((names, g) => {
    if (g < temps.length) for (const name of names) L[name] = next++;
  });
  const valueLocal = { [I32]: L.i1, [I64]: L.j, [F32]: L.f, [F64]: L.d, [V128]: L.v };
  const newLocals = [...uleb(groups + temps.length), ...c.b.subarray(groupsAt, localsEnd),
    ...temps.flatMap(([n, t]) => [...uleb(n), t])];

  const get = (l) => [0x20, ...uleb(l)], set = (l) => [0x21, ...uleb(l)], tee = (l) => [0x22, ...uleb(l)];
  const wide = plan.is64 ? [] : [0xad]; // an address as i64
  const mark = [0x10, ...uleb(markIndex)];
  // Before a store of `width` bytes at offset `offset`, value type t: the
  // effective address ea (wrapping: a wrapped ea traps in the store, and
  // a wrong block is at most saved for nothing) in a2; mark is called
  // only when ea's block is not in the map yet or the store crosses into
  // the next block. A block index beyond the map traps in the map load,
  // where the store would trap too (its address is beyond any heap).
  const I = plan.is64 ? { konst: 0x42, add: 0x7c, shr: 0x88, toI32: [0xa7] } : { konst: 0x41, add: 0x6a, shr: 0x76, toI32: [] };
  const beforeStore = (t, width, offset) => [
    ...set(valueLocal[t]), ...tee(L.a1),
    ...(offset ? [I.konst, ...sleb(plan.is64 ? offset : BigInt.asIntN(32, BigInt(offset))), I.add] : []), ...tee(L.a2),
    I.konst, 16, I.shr, ...I.toI32, 0x2d, 0x40, 1, 0, // its block's map byte (memory 1)
    ...get(L.a2), ...I.toI32, 0x41, ...sleb(0xffff), 0x71, 0x41, ...sleb(0x10000 - width), 0x4b, // crosses a block end
    0x4d, 0x04, 0x40, // byte <= crosses: not yet saved, or crossing
    ...get(L.a2), ...wide, 0x42, ...sleb(width), ...mark,
    0x0b,
    ...get(L.a1), ...get(valueLocal[t]),
  ];

  const p = new Patcher(c.b, localsEnd);
  const blockType = () => {
    const b = c.b[c.pos];
    if (b === 0x40) c.pos++;
    else if (b >= 0x40 && b < 0x80) c.valtype();
    else c.skipSigned();
  };
  while (c.pos < end) {
    const at = c.pos;
    const op = c.byte();
    if (op === 0x10 || op === 0x12 || op === 0xd2) { // call, return_call, ref.func
      const immAt = c.pos;
      const f = c.u32();
      p.put(immAt, uleb(f + plan.shift), c.pos);
      continue;
    }
    if (STORES.has(op)) {
      const offset = c.memarg();
      const [t, width] = STORES.get(op);
      p.put(at, beforeStore(t, width, offset));
      continue;
    }
    if (op === 0x0e) { for (let k = c.u32(); k >= 0; k--) c.u32(); continue; }
    if (op === 0x1c) { for (let k = c.u32(); k > 0; k--) c.valtype(); continue; }
    if (op === 0xfc) {
      const sub = c.u32();
      for (let k = FC_INDICES[sub] || 0; k > 0; k--) c.u32();
      if (sub === 8) { // memory.init: [d A, s i32, n i32]
        p.put(at, [...set(L.i2), ...set(L.i1), ...tee(L.a1), ...wide, ...get(L.i2), 0xad, ...mark,
          ...get(L.a1), ...get(L.i1), ...get(L.i2)]);
      } else if (sub === 10) { // memory.copy: [d A, s A, n A]
        p.put(at, [...set(L.a2), ...set(L.a3), ...tee(L.a1), ...wide, ...get(L.a2), ...wide, ...mark,
          ...get(L.a1), ...get(L.a3), ...get(L.a2)]);
      } else if (sub === 11) { // memory.fill: [d A, v i32, n A]
        p.put(at, [...set(L.a2), ...set(L.i1), ...tee(L.a1), ...wide, ...get(L.a2), ...wide, ...mark,
          ...get(L.a1), ...get(L.i1), ...get(L.a2)]);
      }
      continue;
    }
    if (op === 0xfd) {
      const sub = c.u32();
      if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) {
        const offset = c.memarg();
        if (sub === 0x0b) p.put(at, beforeStore(V128, 16, offset));
      } else if (sub === 0x0c || sub === 0x0d) c.pos += 16;
      else if (sub >= 0x15 && sub <= 0x22) c.pos += 1;
      else if (sub >= 0x54 && sub <= 0x5b) {
        const offset = c.memarg();
        c.pos += 1; // lane
        if (SIMD_STORES.has(sub)) p.put(at, beforeStore(V128, SIMD_STORES.get(sub), offset));
      }
      continue;
    }
    const imm = IMMEDIATES.get(op);
    if (imm === undefined) throw new Error(`instrument: unexpected opcode 0x${op.toString(16)}`);
    if (imm === 4 || imm === 8) { c.pos += imm; continue; }
    for (const k of imm) {
      if (k === 'u') c.u32();
      else if (k === 's') c.skipSigned();
      else if (k === 'm') c.memarg();
      else if (k === 'b') blockType();
      else if (k === 'h') c.skipSigned();
    }
  }
  const body = Buffer.concat([Buffer.from(newLocals), p.finish(end)]);
  return Buffer.concat([Buffer.from(uleb(body.length)), body]);
}

module.exports = {
  uleb, IMMEDIATES, FC_INDICES,
  makePlan, markBody, shiftExports, shiftGlobals, shiftTables, shiftElements, instrumentCode,
};
