(vector "upgrade deactivates the global timer: pre_upgrade sees it, a timer set in pre_upgrade is lost, one set in post_upgrade stays"
  (rules UPG-2 UPG-3 EDGE-TIMER-TRAP)
  (requires system-tasks)
  (tags lifecycle))

(module $v1
  (memory 1)
  (func (export "canister_global_timer"))
  (func (export "canister_update arm")
    (drop (call $ic0.global_timer_set (i64.const 123)))
    (call $reply_empty))
  ;; keeps what it saw of the timer in stable memory, then sets another
  (func (export "canister_pre_upgrade")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (i64.store (i32.const 100) (call $ic0.global_timer_set (i64.const 456)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 100) (i64.const 8))))

;; post_upgrade sets a timer when the argument says so
(module $v2
  (memory 1)
  (func (export "canister_global_timer"))
  (func (export "canister_post_upgrade")
    (if (call $arg_i32 (i32.const 0))
      (then (drop (call $ic0.global_timer_set (i64.const 789))))))
  (func (export "canister_query report")
    (call $ic0.stable64_read (i64.const 100) (i64.const 0) (i64.const 8))
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $v1)
(update "arm")
(upgrade $v2 (arg i32 0))
;; pre_upgrade saw 123; neither its 456 nor the old 123 survive
(query "report")             (expect reply (i64 123))
(system-task global_timer)   (expect reject destination-invalid task-not-scheduled)
(upgrade $v2 (arg i32 1))
(system-task global_timer)
