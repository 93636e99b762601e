(vector "keep between a wasm32 and a wasm64 memory"
  (rules EDGE-KEEP EOP-1 MOD-MEM-2)
  (requires wasm64)
  (tags lifecycle ambiguous wasm64)
  (notes "Unspecified. The reference refuses: the kept heap goes into the"
         "new module's memory as if imported, and an i32 memory does not"
         "import as an i64 one. Another reading keeps the bytes and only"
         "the index type changes."))

(module $v32
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(module $v64
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory i64 1)
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i64.const 100)))))

(install $v32)
(update "set")
(upgrade $v64 (wasm_memory_persistence keep))
(expect one-of
  (width-must-match install-rejected upgrade-option)
  (bytes-kept reply))
(query "word")     (expect reply (i64 8))
