(vector "keep into a new module that declares no memory"
  (rules EDGE-KEEP EOP-1 EOP-3)
  (tags lifecycle ambiguous)
  (notes "Unspecified. The reference refuses: there is no memory to keep"
         "the heap in. Another reading drops the heap with the memory."))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (func (export "canister_query word")
    (call $ic0.msg_reply)))

(install $v1)
(update "set")
(upgrade $v2 (wasm_memory_persistence keep))
(expect one-of
  (no-memory-to-keep install-rejected upgrade-option)
  (heap-dropped reply))
(query "word")
(expect one-of
  (no-memory-to-keep reply (i64 8))
  (heap-dropped reply (bytes "")))
