(vector "a wasm64 module may not import the 32-bit stable API"
  (rules MOD-IMP-2 W64-4 EDGE-W64-TYPES)
  (tags module wasm64))

(module $c
  (memory i64 1)
  (func (export "canister_query size32")
    (drop (call $ic0.stable_size))))

(install $c)  (expect install-rejected module-import-wasm32-only)
