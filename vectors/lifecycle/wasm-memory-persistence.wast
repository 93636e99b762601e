(vector "wasm_memory_persistence: keep preserves the heap, replace discards it, EOP modules must choose"
  (rules EOP-1 EOP-2 EOP-3 EOP-5)
  (tags lifecycle))

;; Enhanced orthogonal persistence is declared by a private custom section.
(module $eop
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_update put")
    (i64.store (i32.const 100) (call $arg_i64 (i32.const 0)))
    (call $reply_empty))
  (func (export "canister_query get")
    (call $reply_i64 (i64.load (i32.const 100)))))

(module $classic
  (memory 1)
  (func (export "canister_query get")
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $eop)
(update "put" (arg i64 31337))
;; the old module has the section: the option is mandatory
(upgrade $eop)                                    (expect install-rejected upgrade-option)
(upgrade $eop (wasm_memory_persistence keep))
(query "get")                                     (expect reply (i64 31337))
;; keep needs the section in the new module
(upgrade $classic (wasm_memory_persistence keep)) (expect install-rejected upgrade-option)
(upgrade $classic (wasm_memory_persistence replace))
(query "get")                                     (expect reply (i64 0))
