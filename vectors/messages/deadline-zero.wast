(vector "msg_deadline is 0 for a call that is not a bounded-wait call"
  (rules MSG-DEADLINE-1)
  (tags messages))

(module $c
  (memory 1)
  (func (export "canister_update deadline")
    (call $reply_i64 (call $ic0.msg_deadline)))
  (func (export "canister_query deadline-in-query")
    (call $reply_i64 (call $ic0.msg_deadline))))

(install $c)
(update "deadline")            (expect reply (i64 0))
(query "deadline-in-query")    (expect reply (i64 0))
