(vector "wrong payload: (i64 0) expected as (i64 1)"
  (rules SM-2)
  (tags runner-test))

(module $c
  (memory 1)
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size)))
  (func (export "canister_query trap")
    (unreachable))
  (func (export "canister_update silent"))
  (func (export "canister_update reject")
    (call $ic0.msg_reject (i32.const 0) (i32.const 2)))
  (func (export "canister_query bad-read")
    (call $ic0.stable64_read (i64.const 0) (i64.const 0) (i64.const 1))))

(install $c)
(query "size")  (expect reply (i64 1))
