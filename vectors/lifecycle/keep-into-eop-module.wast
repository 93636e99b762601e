(vector "keep needs the persistence section only in the new module; afterwards the option becomes mandatory"
  (rules EOP-3 EOP-2 EOP-1)
  (tags lifecycle))

(module $classic
  (memory 1)
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 8))
    (call $reply_empty)))

(module $eop
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $classic)
(update "set")
(upgrade $eop (wasm_memory_persistence keep))
(query "word")   (expect reply (i64 8))
;; now the running module has the section: a null option is refused
(upgrade $eop)   (expect install-rejected upgrade-option)
(query "word")   (expect reply (i64 8))
(upgrade $eop (wasm_memory_persistence replace))
(query "word")   (expect reply (i64 0))
