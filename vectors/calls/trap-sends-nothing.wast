(vector "a message that traps after call_perform sends nothing; one that returns sends its calls, and call_perform returned 0"
  (rules CALL-SEND-1 CALL-BUILD-1 TXN-1)
  (tags calls transactions))

(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01pingpong")
  ;; performs a call to "ping", then traps when the argument is 1; the
  ;; reply (or the lack of it) carries call_perform's result
  (func (export "canister_update call")
    (local $err i32)
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (local.set $err (call $ic0.call_perform))
    (if (call $arg_i32 (i32.const 0)) (then (unreachable)))
    (call $reply_i32 (local.get $err)))
  (func $cb (param i32)))

(install $c)
(update "call" (arg i32 1))   (expect trap unreachable)
(outgoing-calls)
(update "call" (arg i32 0))   (expect reply (i32 0))
(outgoing-calls
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping")))
