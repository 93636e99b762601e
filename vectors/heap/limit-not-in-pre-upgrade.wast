(vector "wasm_memory_limit does not apply to pre_upgrade, but does apply to post_upgrade"
  (rules HEAP-4 EDGE-WMLIMIT UPG-1)
  (tags settings lifecycle))

;; pre_upgrade grows far past the limit; its heap is dropped anyway
(module $old
  (memory 1)
  (func (export "canister_pre_upgrade")
    (drop (memory.grow (i32.const 8))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(module $grows_in_post_upgrade
  (memory 1)
  (func (export "canister_post_upgrade")
    (drop (memory.grow (i32.const 3))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $old)
(settings (wasm_memory_limit (* 3 page)))
(upgrade $grows_in_post_upgrade)  (expect install-rejected wasm-memory-limit)
(query "size")                    (expect reply (i32 1))
(upgrade $old)
(query "size")                    (expect reply (i32 1))
