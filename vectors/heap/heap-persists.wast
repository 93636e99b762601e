(vector "the heap, including grown pages, persists from one message to the next"
  (rules HEAP-9 HEAP-1)
  (tags transactions))

(module $c
  (memory 1)
  (func (export "canister_update grow-and-write")
    (drop (memory.grow (i32.const 1)))
    (i64.store (i32.const 70000) (call $arg_i64 (i32.const 0)))
    (call $reply_empty))
  (func (export "canister_query read")
    (call $append_i32 (memory.size))
    (call $append_i64 (i64.load (i32.const 70000)))
    (call $ic0.msg_reply)))

(install $c)
(update "grow-and-write" (arg i64 0x5eed))
(query "read")  (expect reply (i32 2) (i64 0x5eed))
(query "read")  (expect reply (i32 2) (i64 0x5eed))
