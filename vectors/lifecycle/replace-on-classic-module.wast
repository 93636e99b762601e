(vector "replace, or no option at all, discards the heap of a module without the persistence section"
  (rules EOP-5 UPG-1 HEAP-10)
  (tags lifecycle))

(module $c
  (memory 1)
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $c)
(update "set")
(upgrade $c (wasm_memory_persistence replace))
(query "word")   (expect reply (i64 0))
(update "set")
(upgrade $c)
(query "word")   (expect reply (i64 0))
