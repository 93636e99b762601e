(vector "a keep upgrade whose post_upgrade traps leaves the old heap, globals and stable memory untouched"
  (rules TXN-5 EOP-1 EDGE-KEEP)
  (tags lifecycle transactions))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 31))
    (global.set $counter (i64.const 4))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $reply_empty))
  (func (export "canister_pre_upgrade")
    (i64.store (i32.const 100) (i64.const 32))
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_query state")
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (global.get $counter))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.msg_reply)))

;; writes into the kept heap, then fails
(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_post_upgrade")
    (i64.store (i32.const 100) (i64.const 33))
    (drop (memory.grow (i32.const 1)))
    (unreachable))
  (func (export "canister_query state")
    (call $reply_i64 (i64.const -1))))

(install $v1)
(update "set")
(upgrade $v2 (wasm_memory_persistence keep))   (expect install-rejected unreachable)
(query "state")     (expect reply (i64 31) (i64 4) (i64 1))
(probe heap-size)   (expect reply (i64 1))
