(vector "with keep, a heap that pre_upgrade grew past wasm_memory_limit is checked after post_upgrade and fails the upgrade"
  (rules EDGE-WMLIMIT HEAP-4 EOP-1 TXN-5)
  (tags settings lifecycle))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_pre_upgrade")
    (drop (memory.grow (i32.const 4))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1 10)
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $v1)
(settings (wasm_memory_limit (* 2 page)))
(upgrade $v2 (wasm_memory_persistence keep))      (expect install-rejected wasm-memory-limit)
(query "size")                                    (expect reply (i32 1))
;; without keep the grown heap is dropped and the upgrade works
(upgrade $v2 (wasm_memory_persistence replace))
(query "size")                                    (expect reply (i32 1))
