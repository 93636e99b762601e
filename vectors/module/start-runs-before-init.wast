(vector "(start) runs on every instantiation, before canister_init and canister_post_upgrade"
  (rules MOD-START-1)
  (tags module lifecycle))

;; each entry point appends its digit to the global trace
(module $c
  (memory 1)
  (global $trace (mut i64) (i64.const 0))
  (func $record (param $digit i64)
    (global.set $trace (i64.add (i64.mul (global.get $trace) (i64.const 10))
                                (local.get $digit))))
  (func $start (call $record (i64.const 1)))
  (start $start)
  (func (export "canister_init") (call $record (i64.const 2)))
  (func (export "canister_post_upgrade") (call $record (i64.const 3)))
  (func (export "canister_query trace")
    (call $reply_i64 (global.get $trace))))

(install $c)
(query "trace")  (expect reply (i64 12))
;; upgrade: a fresh instance, so (start) again, then post_upgrade only
(upgrade $c)
(query "trace")  (expect reply (i64 13))
(reinstall $c)
(query "trace")  (expect reply (i64 12))
