(vector "the global timer runs only when set, and is deactivated once it fires"
  (rules TXN-11 EDGE-TIMER-TRAP)
  (tags system-tasks))

(module $c
  (memory 1)
  (global $fired (mut i64) (i64.const 0))
  (func (export "canister_global_timer")
    (global.set $fired (i64.add (global.get $fired) (i64.const 1))))
  (func (export "canister_heartbeat"))
  (func (export "canister_update arm")
    (call $reply_i64 (call $ic0.global_timer_set (i64.const 1))))
  (func (export "canister_query fired")
    (call $reply_i64 (global.get $fired))))

(install $c)
(system-task global_timer)  (expect reject destination-invalid task-not-scheduled)
(update "arm")              (expect reply (i64 0))
(system-task global_timer)
(query "fired")             (expect reply (i64 1))
(system-task global_timer)  (expect reject destination-invalid task-not-scheduled)
(system-task heartbeat)
