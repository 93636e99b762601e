(vector "msg_reject_code exists only in reply and reject callbacks: an update calling it traps and commits nothing"
  (rules MSG-REJ-1 CTX-1 TXN-1)
  (tags messages contexts))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update code")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (call $reply_i32 (call $ic0.msg_reject_code)))
  (func (export "canister_query counter")
    (call $reply_i64 (global.get $counter))))

(install $c)
(update "code")     (expect trap not-allowed-in-this-context)
(query "counter")   (expect reply (i64 0))
