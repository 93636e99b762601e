(vector "a global timer handler that traps loses its changes, and the timer stays deactivated"
  (rules EDGE-TIMER-TRAP TXN-11 TXN-1)
  (requires system-tasks)
  (tags system-tasks transactions))

(module $c
  (memory 1)
  (global $fired (mut i64) (i64.const 0))
  ;; re-arms itself, changes state, then traps: none of it may stay
  (func (export "canister_global_timer")
    (global.set $fired (i64.add (global.get $fired) (i64.const 1)))
    (i64.store (i32.const 100) (i64.const 5))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (drop (call $ic0.global_timer_set (i64.const 1)))
    (unreachable))
  (func (export "canister_update arm")
    (call $reply_i64 (call $ic0.global_timer_set (i64.const 1))))
  (func (export "canister_query state")
    (call $append_i64 (global.get $fired))
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
(update "arm")               (expect reply (i64 0))
(system-task global_timer)   (expect trap unreachable)
(query "state")              (expect reply (i64 0) (i64 0) (i64 0) (i64 2))
(system-task global_timer)   (expect reject destination-invalid task-not-scheduled)
;; arming again answers 0: the timer was off
(update "arm")               (expect reply (i64 0))
