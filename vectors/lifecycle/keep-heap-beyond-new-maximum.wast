(vector "keep with a heap larger than the new module's declared maximum; a heap exactly at it is kept"
  (rules EDGE-KEEP EOP-1)
  (tags lifecycle ambiguous)
  (notes "Unspecified. The reference treats the kept heap as the new"
         "module's imported memory, so it must fit the declared limits and"
         "the upgrade fails as the replica's does since dfinity/ic#10593"
         "(IC0521, CanisterWasmEngineError: \"Failed to grow wasm memory\";"
         "it panicked before); another reading keeps the heap as it is."
         "A heap of exactly the declared maximum fits it (the WebAssembly"
         "spec, limits matching: a size n with n <= max), so keeping it"
         "succeeds under both readings."))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_update grow")
    (drop (memory.grow (i32.const 2)))
    (i64.store (i32.const 100) (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1 2)
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(module $v3
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1 3)
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $v1)
(update "grow")
(upgrade $v2 (wasm_memory_persistence keep))
(expect one-of
  (module-limits install-rejected wasm-engine)
  (heap-as-is reply))
(query "word")     (expect reply (i64 8))
(probe heap-size)  (expect reply (i64 3))
;; the heap of 3 pages fits a maximum of exactly 3
(upgrade $v3 (wasm_memory_persistence keep))
(query "word")     (expect reply (i64 8))
(probe heap-size)  (expect reply (i64 3))
