(vector "ic0.trap and a second reply both trap, and nothing of the message remains"
  (rules MSG-TRAP-1 MSG-REPLY-1 TXN-1)
  (tags transactions))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (data (i32.const 100) "on purpose")
  (func $bump
    (global.set $counter (i64.add (global.get $counter) (i64.const 1))))
  (func (export "canister_update explicit-trap")
    (call $bump)
    (call $ic0.trap (i32.const 100) (i32.const 10)))
  (func (export "canister_update reply-twice")
    (call $bump)
    (call $reply_empty)
    (call $reply_empty))
  (func (export "canister_update bump")
    (call $bump)
    (call $reply_i64 (global.get $counter))))

(install $c)
(update "explicit-trap")  (expect trap explicit-trap)
(update "reply-twice")    (expect trap contract-violation)
(update "bump")           (expect reply (i64 1))
