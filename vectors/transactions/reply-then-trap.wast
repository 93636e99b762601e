(vector "a reply sent before a trap is withdrawn: the caller sees the trap, not the reply"
  (rules TXN-1 TXN-3 MSG-REPLY-1)
  (tags transactions))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update reply-then-trap")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (call $reply_i64 (global.get $counter))
    (unreachable))
  (func (export "canister_query counter")
    (call $reply_i64 (global.get $counter))))

(install $c)
(update "reply-then-trap")   (expect trap unreachable)
(query "counter")            (expect reply (i64 0))
