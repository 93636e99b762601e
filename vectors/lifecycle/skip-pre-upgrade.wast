(vector "skip_pre_upgrade bypasses a trapping pre_upgrade; without it the upgrade fails atomically"
  (rules UPG-4 TXN-5 UPG-1)
  (tags lifecycle))

(module $stuck
  (memory 1)
  (global $value (mut i64) (i64.const 0))
  (func (export "canister_update set")
    (global.set $value (call $arg_i64 (i32.const 0)))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (i64.store (i32.const 100) (global.get $value))
    (call $ic0.stable64_write (i64.const 0) (i64.const 100) (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query value")
    (call $reply_i64 (global.get $value)))
  (func (export "canister_pre_upgrade")
    (unreachable)))

(module $next
  (memory 1)
  (func (export "canister_query stable-word")
    (call $ic0.stable64_read (i64.const 100) (i64.const 0) (i64.const 8))
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $stuck)
(update "set" (arg i64 99))                (expect reply)
(upgrade $next)                            (expect install-rejected unreachable)
(query "value")                            (expect reply (i64 99))
(upgrade $next (skip_pre_upgrade false))   (expect install-rejected unreachable)
(upgrade $next (skip_pre_upgrade true))
(query "stable-word")                      (expect reply (i64 99))
