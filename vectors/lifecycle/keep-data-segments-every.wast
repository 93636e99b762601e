(vector "with keep, where the new module's data segments are re-applied, every active segment is, not only the first"
  (rules EDGE-KEEP EOP-4)
  (tags lifecycle ambiguous)
  (notes "As keep-data-segments, with two active segments in the new"
         "module: the reading that re-applies them (the older formal text,"
         "which instantiates the new module on the kept memory) writes both,"
         "as instantiation writes every active segment in order (WebAssembly"
         "core spec, \"Instantiation\"); the newest text copies the heap"
         "verbatim and writes neither."))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 0x6f6c6f6c6f6c6f6c)) ;; "lolololo"
    (i64.store (i32.const 108) (i64.const 0x6f6c6f6c6f6c6f6c))
    (call $reply_empty)))

(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (data (i32.const 100) "NEWDATA!")
  (data (i32.const 108) "SECOND!!")
  (func (export "canister_query words")
    (call $reply_data (i32.const 100) (i32.const 16))))

(install $v1)
(update "set")
(upgrade $v2 (wasm_memory_persistence keep))
(query "words")
(expect one-of
  (not-applied reply (text "lolololololololo"))
  (reapplied reply (text "NEWDATA!SECOND!!")))
