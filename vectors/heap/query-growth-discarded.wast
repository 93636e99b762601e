(vector "heap growth and writes in a query are discarded"
  (rules HEAP-9 TXN-7)
  (tags transactions))

(module $c
  (memory 1)
  (func (export "canister_query grow-and-write")
    (drop (memory.grow (i32.const 1)))
    (i64.store (i32.const 8) (i64.const 0x77))
    (call $reply_i32 (memory.size)))
  (func (export "canister_query read")
    (call $ic0.msg_reply_data_append (i32.const 8) (i32.const 8))
    (call $append_i32 (memory.size))
    (call $ic0.msg_reply)))

(install $c)
(query "grow-and-write")  (expect reply (i32 2))
(query "read")            (expect reply (i64 0) (i32 1))
