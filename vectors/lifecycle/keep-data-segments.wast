(vector "with keep, whether the new module's data segments are written over the kept heap"
  (rules EDGE-KEEP EOP-4 EOP-1)
  (tags lifecycle ambiguous)
  (notes "The newest formal text copies the heap verbatim (segments not"
         "applied); the older one instantiates the new module reusing the"
         "memory, which writes its active data segments over it."))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 0x6f6c6f6c6f6c6f6c)) ;; "lolololo"
    (call $reply_empty)))

(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (data (i32.const 100) "NEWDATA!")
  (func (export "canister_query word")
    (call $reply_data (i32.const 100) (i32.const 8))))

(install $v1)
(update "set")
(upgrade $v2 (wasm_memory_persistence keep))
(query "word")
(expect one-of
  (not-applied reply (text "lolololo"))
  (reapplied reply (text "NEWDATA!")))
