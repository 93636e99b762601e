'use strict';
// Differential check of the v8 host's rewrite (instrument.js) on the
// official WebAssembly test suite, converted by wast2json:
//
//   node spec-diff.js HOST_JS JSON_DIR...
//
// Each self-contained module with one memory (no imports, features the
// IC knows) is instantiated as written and as the host rewrites it (with
// HeapJournal, as in a canister). Every `invoke` of the scripts then runs
// on both, in a transaction of the journal, and must give the same result
// or trap and leave the same memory; and the journal's saved blocks, put
// back into a copy of the memory, must give the memory before the action
// (every write was seen). Prints the problems and a count; exits 1 on any
// problem or when too few modules ran for the check to mean anything.

const fs = require('fs');
const path = require('path');
const H = require(path.resolve(process.argv[2]));

let modules = 0, actions = 0, problems = 0;
const report = (m) => { if (problems++ < 40) console.log('problem: ' + m); };
const show = (x) => JSON.stringify(x, (k, v) => typeof v === 'bigint' ? String(v) + 'n' : v);

// A wast2json argument as a JavaScript value (NaN payloads are not
// compared: both sides get the same argument).
function value(a) {
  const v = a.value;
  if (a.type === 'i32') return Number(BigInt.asIntN(32, BigInt(v)));
  if (a.type === 'i64') return BigInt.asIntN(64, BigInt(v));
  const view = new DataView(new ArrayBuffer(8));
  if (a.type === 'f32') { view.setUint32(0, Number(v)); return view.getFloat32(0); }
  if (a.type === 'f64') { view.setBigUint64(0, BigInt(v)); return view.getFloat64(0); }
  throw new Error('argument type ' + a.type);
}
function attempt(fn, args) {
  try { return { result: fn(...args) }; } catch (e) { return { trap: e.message }; }
}
const sameOutcome = (a, b) => ('trap' in a) === ('trap' in b) && ('trap' in a || show(a.result) === show(b.result));

// The pair of instances for a module command, or null when it is skipped.
function load(dir, file) {
  const bytes = fs.readFileSync(path.join(dir, file));
  if (!WebAssembly.validate(bytes)) return null;
  let info;
  try { info = H.parseModule(bytes); } catch (e) { return null; }
  if (info.imports.length || info.memories.length !== 1 || H.featuresUsed(bytes, info).unknown) return null;
  let plain;
  try { plain = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}); } catch (e) { return null; }
  const limits = info.memories[0].limits;
  const maxPages = limits.max !== null ? limits.max : 65536n;
  const rewritten = H.rewrite(bytes, info, info.memories[0], maxPages, true);
  const memory = new WebAssembly.Memory(limits.is64
    ? { initial: limits.min, maximum: maxPages, address: 'i64' }
    : { initial: Number(limits.min), maximum: Number(maxPages) });
  let journal = null;
  const tracked = new WebAssembly.Instance(new WebAssembly.Module(rewritten),
    { 'cm:host': { memory, touch: (b) => journal.touch(b) } });
  journal = new H.HeapJournal(memory, new Uint8Array(tracked.exports['cm:map'].buffer));
  if (tracked.exports['cm:start']) tracked.exports['cm:start'](); // the host runs start
  const plainMemory = Object.values(plain.exports).find((e) => e instanceof WebAssembly.Memory) || null;
  return { plain, tracked, memory, plainMemory, journal, file };
}

function run(dir, json) {
  const script = JSON.parse(fs.readFileSync(path.join(dir, json)));
  let cur = null;
  for (const c of script.commands) {
    const where = `${json}:${c.line}`;
    if (c.type === 'module') {
      try { cur = load(dir, c.filename); } catch (e) { cur = null; report(`${where}: ${e.message}`); }
      if (cur) modules++;
      continue;
    }
    if (!cur || !c.action || c.action.type !== 'invoke' || c.action.module) continue;
    const fn = cur.plain.exports[c.action.field];
    if (typeof fn !== 'function') continue;
    let args;
    try { args = c.action.args.map(value); } catch (e) { continue; }
    actions++;
    const before = Buffer.from(Buffer.from(cur.memory.buffer));
    cur.journal.begin();
    const a = attempt(fn, args), b = attempt(cur.tracked.exports[c.action.field], args);
    const what = `${where} ${c.action.field}`;
    if (!sameOutcome(a, b)) report(`${what}: ${show(a)} as written, ${show(b)} rewritten`);
    const after = Buffer.from(cur.memory.buffer);
    if (cur.plainMemory && Buffer.compare(Buffer.from(cur.plainMemory.buffer), after)) report(`${what}: the memories differ`);
    const undone = Buffer.from(after.subarray(0, before.length));
    cur.journal.undoInto(undone);
    if (Buffer.compare(undone, before)) report(`${what}: the saved blocks do not give the memory before the action`);
    cur.journal.end();
  }
}

for (const dir of process.argv.slice(3))
  for (const json of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) run(dir, json);
console.log(`spec-diff: ${modules} modules, ${actions} actions, ${problems} problems`);
if (modules < 100 || actions < 1000) { console.log('spec-diff: too few modules or actions ran'); process.exit(1); }
process.exit(problems ? 1 : 0);
