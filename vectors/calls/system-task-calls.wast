(vector "a heartbeat may call; no caller waits on its context, so a callback that responds traps and one that returns commits"
  (rules CALL-SYSTASK-1 CALL-TXN-1 TXN-11)
  (tags calls system-tasks))

(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01tick")
  (func (export "canister_heartbeat")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform)))
  (func $cb (param i32)
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1)))
    (call $ic0.msg_arg_data_copy (i32.const 300) (i32.const 0) (i32.const 1))
    (if (i32.load8_u (i32.const 300)) (then (call $reply_empty))))
  (func (export "canister_query count")
    (call $reply_i64 (i64.load (i32.const 1000)))))

(install $c)
(system-task heartbeat)
(system-task heartbeat)
(outgoing-calls
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "tick"))
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "tick")))
(respond 1 (reply (bytes "\01")))   (expect trap contract-violation)
(respond 1 (reply (bytes "\00")))   (expect returned)
(query "count")                     (expect reply (i64 1))
