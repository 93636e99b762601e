(vector "queries, replicated or not, discard stable memory growth and writes"
  (rules TXN-7 EDGE-QUERYSTABLE)
  (tags transactions))

(module $c
  (memory 1)
  (data (i32.const 100) "query was here!!")
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (i64.const 1))))
  ;; grows by 2 and writes, then replies with the size it sees
  (func (export "canister_query scribble")
    (drop (call $ic0.stable64_grow (i64.const 2)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 100) (i64.const 16))
    (call $reply_i64 (call $ic0.stable64_size)))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size)))
  (func (export "canister_query first8")
    (call $ic0.stable64_read (i64.const 16) (i64.const 0) (i64.const 8))
    (call $reply_data (i32.const 16) (i32.const 8))))

(install $c)
(update "grow")                (expect reply (i64 0))
(query "scribble")             (expect reply (i64 3))
(query "size")                 (expect reply (i64 1))
(replicated-query "scribble")  (expect reply (i64 3))
(query "size")                 (expect reply (i64 1))
(query "first8")               (expect reply (i64 0))
