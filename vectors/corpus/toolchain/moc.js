// Compiles one Motoko actor to a canister module, offline, with the npm
// package motoko (the js_of_ocaml build of moc and the bundled core
// library, so `import X "mo:core/X"` works without a network).
//
//   node moc.js SOURCE.mo OUTPUT.wasm classic|enhanced
//
// classic: legacy persistence (Motoko.gcFlags('classicOP')), a wasm32
// module whose stable variables go through stable memory on upgrade.
// enhanced: the default, enhanced orthogonal persistence, a memory64
// module with a 64-bit table whose heap survives an upgrade.
// CANMEM_MOTOKO_DIR is the node_modules folder holding motoko.
'use strict';
const fs = require('fs');
const path = require('path');

const [source, output, mode] = process.argv.slice(2);
if (!output || !['classic', 'enhanced'].includes(mode)) {
  console.error('usage: node moc.js SOURCE.mo OUTPUT.wasm classic|enhanced');
  process.exit(2);
}
const modules = process.env.CANMEM_MOTOKO_DIR || path.join(__dirname, 'node_modules');
const motoko = path.join(modules, 'motoko');
const { Motoko } = require(path.join(motoko, 'versions/latest/moc.min'));
const mo = require(motoko);

mo.loadPackage(require(path.join(motoko, 'packages/latest/core.json')));
if (mode === 'classic') Motoko.gcFlags('classicOP');
mo.write('Main.mo', fs.readFileSync(source, 'utf8'));
const result = mo.wasm('Main.mo', 'ic');
fs.writeFileSync(output, Buffer.from(result.wasm));
