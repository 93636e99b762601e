(vector "keep with a heap smaller than the new module's declared minimum"
  (rules EDGE-KEEP EOP-1)
  (tags lifecycle ambiguous)
  (notes "Unspecified. The reference treats the kept heap as the new"
         "module's imported memory: below the declared minimum it does not"
         "fit and the upgrade is refused. Another reading keeps the heap"
         "and grows it to the minimum."))

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
  (memory 3)
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $v1)
(update "set")
(upgrade $v2 (wasm_memory_persistence keep))
(expect one-of
  (module-limits install-rejected upgrade-option)
  (grown-to-minimum reply))
(query "word")     (expect reply (i64 8))
(probe heap-size)
(expect one-of
  (module-limits reply (i64 1))
  (grown-to-minimum reply (i64 3)))
