(vector "msg_reject needs valid UTF-8: invalid bytes trap, an empty text is a valid reject"
  (rules MSG-REJECT-1 TXN-1)
  (tags messages))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (data (i32.const 100) "\ff\fe")
  (data (i32.const 200) "caf\c3\a9")
  (func (export "canister_update reject")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (call $ic0.msg_reject (call $arg_i32 (i32.const 0)) (call $arg_i32 (i32.const 4))))
  (func (export "canister_query counter")
    (call $reply_i64 (global.get $counter))))

(install $c)
(update "reject" (arg (i32 100) (i32 2)))   (expect trap contract-violation)
;; a cut multi-byte sequence is not UTF-8 either
(update "reject" (arg (i32 200) (i32 4)))   (expect trap contract-violation)
(query "counter")                           (expect reply (i64 0))
(update "reject" (arg (i32 200) (i32 5)))   (expect reject canister-reject (text "café"))
(update "reject" (arg (i32 200) (i32 0)))   (expect reject canister-reject (text ""))
(query "counter")                           (expect reply (i64 2))
