(vector "each callback is a transaction of its own: one that returns commits and counts a version, one that traps rolls back only itself"
  (rules CALL-TXN-1 CALL-SEND-1 TXN-1)
  (tags calls transactions))

;; "call" adds 1 to the counter at 1000 and performs two calls. The
;; reply callback adds env (10 or 100) and traps when the reply says so.
(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $on_reply)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func $send (param $env i32)
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (local.get $env) (i32.const 0) (local.get $env))
    (drop (call $ic0.call_perform)))
  (func (export "canister_update call")
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1)))
    (call $send (i32.const 10))
    (call $send (i32.const 100))
    (call $reply_empty))
  (func $on_reply (param $env i32)
    (i64.store (i32.const 1000)
      (i64.add (i64.load (i32.const 1000)) (i64.extend_i32_u (local.get $env))))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.msg_arg_data_copy (i32.const 300) (i32.const 0) (i32.const 1))
    (if (i32.load8_u (i32.const 300)) (then (unreachable))))
  (func (export "canister_query state")
    (call $append_i64 (i64.load (i32.const 1000)))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
(query "state")                    (expect reply (i64 0) (i64 0) (i64 1))
(update "call")                    (expect reply (bytes ""))
(query "state")                    (expect reply (i64 1) (i64 0) (i64 2))
;; the first callback (env 10) returns: committed
(respond 1 (reply (bytes "\00")))  (expect returned)
(query "state")                    (expect reply (i64 11) (i64 1) (i64 3))
;; the second (env 100) traps: only its own changes go
(respond 1 (reply (bytes "\01")))  (expect trap unreachable)
(query "state")                    (expect reply (i64 11) (i64 1) (i64 3))
(outgoing-calls)
