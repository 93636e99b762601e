(vector "a performed call is sent when its update commits; the reply runs the reply callback, which reads the reply as its argument and answers the original caller"
  (rules CALL-BUILD-1 CALL-SEND-1 CALL-CALLBACK-1 CALL-CONTEXT-1)
  (tags calls))

;; "call" sends ping(7) to canister ...02 0101 with two appended pieces,
;; counts in a global, and returns without replying: the call context
;; stays open. The reply callback (table index 0, env 40) appends the
;; reply's first 8 bytes plus env to the caller's reply.
(module $c
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $on_reply $on_reject)
  (global $made (mut i64) (i64.const 0))
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (i64.store (i32.const 200) (i64.const 7))
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 40) (i32.const 1) (i32.const 41))
    (call $ic0.call_data_append (i32.const 200) (i32.const 4))
    (call $ic0.call_data_append (i32.const 204) (i32.const 4))
    (drop (call $ic0.call_perform))
    (global.set $made (i64.add (global.get $made) (i64.const 1))))
  (func $on_reply (param $env i32)
    (call $ic0.msg_arg_data_copy (i32.const 300) (i32.const 0) (i32.const 8))
    (call $append_i64 (i64.add (i64.load (i32.const 300)) (i64.extend_i32_u (local.get $env))))
    (call $append_i64 (global.get $made))
    (call $ic0.msg_reply))
  (func $on_reject (param $env i32) (unreachable))
  (func (export "canister_query made")
    (call $reply_i64 (global.get $made))))

(install $c)
(update "call")          (expect pending)
(query "made")           (expect reply (i64 1))
(outgoing-calls
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping") (arg (i64 7))))
(respond 1 (reply (i64 1000)))
(expect reply (i64 1040) (i64 1))
(outgoing-calls)
