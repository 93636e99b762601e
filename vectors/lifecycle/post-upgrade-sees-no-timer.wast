(vector "post_upgrade and a reinstall's canister_init run with the global timer deactivated"
  (rules UPG-2 UPG-3)
  (tags lifecycle)
  (notes "Formal: post_upgrade runs with global_timer = 0 (UPG-2); install"
         "and reinstall start from a timer of 0 as well (12.1). So"
         "global_timer_set there answers 0, not the old instance's timer."))

(module $v1
  (memory 1)
  (func (export "canister_global_timer"))
  (func (export "canister_update arm")
    (drop (call $ic0.global_timer_set (i64.const 123)))
    (call $reply_empty)))

(module $v2
  (memory 1)
  (global $found (mut i64) (i64.const -1))
  (func $look
    (global.set $found (call $ic0.global_timer_set (i64.const 0))))
  (func (export "canister_init") (call $look))
  (func (export "canister_post_upgrade") (call $look))
  (func (export "canister_query found")
    (call $reply_i64 (global.get $found))))

(install $v1)
(update "arm")
(upgrade $v2)
(query "found")   (expect reply (i64 0))
(reinstall $v1)
(update "arm")
(reinstall $v2)
(query "found")   (expect reply (i64 0))
