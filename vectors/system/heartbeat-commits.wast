(vector "a heartbeat commits heap, globals and stable memory like an update; a trapping one commits nothing"
  (rules TXN-11 TXN-1 HEAP-9)
  (requires system-tasks)
  (tags system-tasks transactions))

;; every second heartbeat traps after its changes
(module $c
  (memory 1)
  (global $beats (mut i64) (i64.const 0))
  (func (export "canister_heartbeat")
    (global.set $beats (i64.add (global.get $beats) (i64.const 1)))
    (i64.store (i32.const 100) (i64.add (i64.load (i32.const 100)) (i64.const 10)))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (if (i64.eqz (i64.rem_u (global.get $beats) (i64.const 2)))
      (then (unreachable))))
  (func (export "canister_query state")
    (call $append_i64 (global.get $beats))
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
(system-task heartbeat)    (expect no-reply)
(query "state")            (expect reply (i64 1) (i64 10) (i64 1) (i64 2))
(system-task heartbeat)    (expect trap unreachable)
(query "state")            (expect reply (i64 1) (i64 10) (i64 1) (i64 2))
