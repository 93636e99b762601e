(vector "an update that returns without replying still commits its changes"
  (rules MSG-RESP-3 TXN-3)
  (tags transactions))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update bump-silently")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1))))
  (func (export "canister_query counter")
    (call $reply_i64 (global.get $counter))))

(install $c)
(update "bump-silently")  (expect no-reply)
(update "bump-silently")  (expect no-reply)
(query "counter")         (expect reply (i64 2))
