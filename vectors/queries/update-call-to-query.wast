(vector "an update call to a query method runs it replicated: it replies, and its changes and the version stay as they were"
  (rules TXN-7 CTX-2)
  (tags queries transactions))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_query bump")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $append_i64 (global.get $counter))
    (call $append_i32 (call $ic0.in_replicated_execution))
    (call $ic0.msg_reply))
  (func (export "canister_query state")
    (call $append_i64 (global.get $counter))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
(update "bump")    (expect reply (i64 1) (i32 1))
(update "bump")    (expect reply (i64 1) (i32 1))
(query "state")    (expect reply (i64 0) (i64 0) (i64 1))
