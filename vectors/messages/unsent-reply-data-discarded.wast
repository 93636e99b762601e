(vector "reply data appended but never sent is discarded: the update has no reply, a reject carries only its text"
  (rules MSG-REPLY-APPEND-1 MSG-REJECT-1 MSG-RESP-3)
  (tags messages))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (data (i32.const 100) "appendedrefused")
  (func (export "canister_update append-only")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (call $ic0.msg_reply_data_append (i32.const 100) (i32.const 8)))
  (func (export "canister_update append-then-reject")
    (call $ic0.msg_reply_data_append (i32.const 100) (i32.const 8))
    (call $ic0.msg_reject (i32.const 108) (i32.const 7)))
  (func (export "canister_update append-nothing-and-reply")
    (call $ic0.msg_reply))
  (func (export "canister_query counter")
    (call $reply_i64 (global.get $counter))))

(install $c)
(update "append-only")                (expect no-reply)
(query "counter")                     (expect reply (i64 1))
(update "append-then-reject")         (expect reject canister-reject (text "refused"))
;; the reply starts out empty
(update "append-nothing-and-reply")   (expect reply (bytes ""))
