'use strict';
// Benchmark (not a test): what the write tracking of instrument.js costs a
// store-heavy canister. The same module runs as written and as the host
// rewrites it (each store, memory.fill and memory.copy calls mark first),
// inside a transaction of HeapJournal as a message would; runs alternate
// and the ratio of the medians is printed for each workload.
//
//   node bench-stores.js [RUNS]     (default 9; WAT2WASM names wat2wasm)

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseModule, rewrite, HeapJournal } = require('./host.js');

const RUNS = Number(process.argv[2] || 9);
const PAGES = 512; // 32 MiB heap; the workloads write its first 16 MiB

const WAT = `(module
  (memory ${PAGES})
  ;; 8 passes of i64.store over 16 MiB: 16 M stores
  (func (export "i64_store") (local $pass i32) (local $p i32)
    (loop $passes
      (local.set $p (i32.const 0))
      (loop $l
        (i64.store offset=8 (local.get $p) (i64.extend_i32_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $l (i32.lt_u (local.get $p) (i32.const 16777208))))
      (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
      (br_if $passes (i32.lt_u (local.get $pass) (i32.const 8)))))
  ;; i32.store8 over 16 MiB: 16 M stores
  (func (export "i32_store8") (local $p i32)
    (loop $l
      (i32.store8 (local.get $p) (local.get $p))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $p) (i32.const 16777216)))))
  ;; memory.fill of 64 bytes, 256 K times over 16 MiB
  (func (export "fill64") (local $p i32)
    (loop $l
      (memory.fill (local.get $p) (i32.const 7) (i32.const 64))
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br_if $l (i32.lt_u (local.get $p) (i32.const 16777216))))))`;

function compile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canmem-bench-stores-'));
  fs.writeFileSync(path.join(dir, 'c.wat'), WAT);
  execFileSync(process.env.WAT2WASM || 'wat2wasm', [path.join(dir, 'c.wat'), '-o', path.join(dir, 'c.wasm')]);
  const wasm = fs.readFileSync(path.join(dir, 'c.wasm'));
  fs.rmSync(dir, { recursive: true });
  return wasm;
}

function main() {
  const wasm = compile();
  const plain = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports;
  const info = parseModule(wasm);
  const rewritten = rewrite(wasm, info, info.memories[0], BigInt(PAGES), false);
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES });
  let journal = null;
  const tracked = new WebAssembly.Instance(new WebAssembly.Module(rewritten),
    { 'cm:host': { memory, touch: (b) => journal.touch(b) } }).exports;
  journal = new HeapJournal(memory, new Uint8Array(tracked['cm:map'].buffer));
  const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
  const time = (f) => { const t0 = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - t0) / 1e6; };
  console.log('tracked: the rewritten module with its marks cleared before each run; in a transaction:');
  console.log('the same with the journal saving each written 64 KiB block first (what a message pays)');
  for (const name of ['i64_store', 'i32_store8', 'fill64']) {
    const t = { plain: [], tracked: [], txn: [] };
    for (let k = 0; k < RUNS; k++) {
      t.plain.push(time(() => plain[name]()));
      journal.end();
      t.tracked.push(time(() => tracked[name]()));
      t.txn.push(time(() => { journal.begin(); tracked[name](); journal.end(); }));
    }
    const p = median(t.plain), q = median(t.tracked), r = median(t.txn);
    console.log(`${name.padEnd(10)}  as written ${p.toFixed(1).padStart(6)} ms  tracked ${q.toFixed(1).padStart(6)} ms ` +
      `(${(q / p).toFixed(2)}x)  in a transaction ${r.toFixed(1).padStart(6)} ms (${(r / p).toFixed(2)}x)`);
  }
}
main();
