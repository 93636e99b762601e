(vector "global_timer_set answers the previous timer; the handler may arm the next timer, and 0 deactivates it"
  (rules TXN-11 UPG-3 EDGE-TIMER-TRAP)
  (requires system-tasks)
  (tags system-tasks))

(module $c
  (memory 1)
  (global $fired (mut i64) (i64.const 0))
  ;; the first run arms the next one, the second does not
  (func (export "canister_global_timer")
    (global.set $fired (i64.add (global.get $fired) (i64.const 1)))
    (if (i64.eq (global.get $fired) (i64.const 1))
      (then (drop (call $ic0.global_timer_set (i64.const 2))))))
  (func (export "canister_update set")
    (call $reply_i64 (call $ic0.global_timer_set (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query fired")
    (call $reply_i64 (global.get $fired))))

(install $c)
(update "set" (arg i64 7))    (expect reply (i64 0))
(update "set" (arg i64 9))    (expect reply (i64 7))
(update "set" (arg i64 0))    (expect reply (i64 9))
(system-task global_timer)    (expect reject destination-invalid task-not-scheduled)
(update "set" (arg i64 1))    (expect reply (i64 0))
(system-task global_timer)
(system-task global_timer)
(system-task global_timer)    (expect reject destination-invalid task-not-scheduled)
(query "fired")               (expect reply (i64 2))
