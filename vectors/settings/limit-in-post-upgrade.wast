(vector "a post_upgrade that grows the heap past wasm_memory_limit fails the upgrade; the old code and state stay"
  (rules HEAP-4 HEAP-5 TXN-5 UPG-1)
  (tags settings lifecycle))

(module $v1
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update set")
    (global.set $counter (i64.const 6))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $reply_empty))
  (func (export "canister_pre_upgrade")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_query state")
    (call $append_i64 (global.get $counter))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i32 (memory.size))
    (call $ic0.msg_reply)))

(module $v2
  (memory 1)
  (func (export "canister_post_upgrade")
    (drop (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query state")
    (call $reply_i64 (i64.const -1))))

(install $v1)
(update "set")
(settings (wasm_memory_limit (* 2 page)))
(upgrade $v2 (arg i32 2))   (expect install-rejected wasm-memory-limit)
(query "state")             (expect reply (i64 6) (i64 1) (i32 1))
(upgrade $v2 (arg i32 1))
(query "state")             (expect reply (i64 -1))
