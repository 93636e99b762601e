(vector "keep from a module that declared no memory: the kept heap is empty"
  (rules EDGE-KEEP EOP-1 EDGE-NOMEM)
  (tags lifecycle ambiguous)
  (notes "A canister without memory has an empty heap (newest formal text)."
         "Kept into a memory of minimum 0 it fits and the heap stays empty;"
         "into a memory of minimum 1 it is below the minimum, which is the"
         "same question as keep-heap-below-new-minimum."))

(module $none
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (func (export "canister_query pages")
    (call $ic0.msg_reply)))

(module $zero
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 0)
  (func (export "canister_query pages")
    (call $reply_i32 (memory.size))))

(module $one
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (data (i32.const 100) "data")
  (func (export "canister_query pages")
    (call $reply_i32 (memory.size))))

(install $none)
(query "pages")    (expect reply (bytes ""))
(upgrade $zero (wasm_memory_persistence keep))
(probe heap-size)  (expect reply (i64 0))
;; back to no memory, then into a memory that needs one page
(upgrade $none (wasm_memory_persistence replace))
(upgrade $one (wasm_memory_persistence keep))
(expect one-of
  (module-limits install-rejected upgrade-option)
  (grown-to-minimum reply))
(query "pages")
(expect one-of
  (module-limits reply (bytes ""))
  (grown-to-minimum reply (i32 1)))
