(vector "canister_inspect_message may write heap, globals and stable memory, but accepting commits none of it"
  (rules TXN-9 MSG-INSPECT-1)
  (requires inspect-message)
  (tags transactions))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_inspect_message")
    (i64.store (i32.const 300) (i64.const 77))
    (global.set $counter (i64.const 5))
    (drop (call $ic0.stable64_grow (i64.const 2)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 300) (i64.const 8))
    (call $ic0.accept_message))
  (func (export "canister_update m") (call $reply_empty))
  (func (export "canister_query state")
    (call $append_i64 (i64.load (i32.const 300)))
    (call $append_i64 (global.get $counter))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.msg_reply)))

(install $c)
(inspect-message "m")   (expect reply)
(query "state")         (expect reply (i64 0) (i64 0) (i64 0))
