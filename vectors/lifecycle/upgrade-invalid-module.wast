(vector "an upgrade to a module that is not a valid canister is refused before anything runs, and changes nothing"
  (rules TXN-6 UPG-1 MOD-IMP-1)
  (requires system-tasks)
  (tags lifecycle transactions))

(module $old
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_global_timer"))
  (func (export "canister_update set")
    (i64.store (i32.const 1000) (i64.const 11))
    (global.set $counter (i64.const 22))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 1000) (i64.const 8))
    (drop (call $ic0.global_timer_set (i64.const 1)))
    (call $reply_empty))
  ;; heap word, global, stable size, stable word, version
  (func (export "canister_query state")
    (call $ic0.stable64_read (i64.const 2000) (i64.const 0) (i64.const 8))
    (call $append_i64 (i64.load (i32.const 1000)))
    (call $append_i64 (global.get $counter))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (i64.load (i32.const 2000)))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply))
  (func (export "canister_pre_upgrade")
    (global.set $counter (i64.const 99))
    (drop (call $ic0.stable64_grow (i64.const 5)))))

;; imports a function the System API does not have
(module $invalid
  (import "env" "print" (func $print (param i32)))
  (memory 1)
  (func (export "canister_query state")
    (call $print (i32.const 0))))

(install $old)
(update "set")
(upgrade $invalid)           (expect install-rejected module-import)
(query "state")              (expect reply (i64 11) (i64 22) (i64 1) (i64 11) (i64 2))
(system-task global_timer)
