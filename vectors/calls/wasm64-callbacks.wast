(vector "in a wasm64 canister the call functions take i64 pointers and callbacks are (env : i64) -> ()"
  (rules CALL-W64-1 CALL-CALLBACK-1 CALL-CALLBACK-3 W64-1)
  (tags calls wasm64))

(module $c
  (memory i64 1)
  (table 2 funcref)
  (elem (i32.const 0) $cb $cb32)
  (data (i64.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (call $ic0.call_new (i64.const 100) (i64.const 10) (i64.const 110) (i64.const 4)
      (i64.extend_i32_u (call $arg_i32 (i32.const 0))) (i64.const 0x1_0000_0001)
      (i64.const 0) (i64.const 0))
    (call $ic0.call_data_append (i64.const 110) (i64.const 4))
    (drop (call $ic0.call_perform)))
  (func $cb (param $env i64)
    (call $reply_i64 (local.get $env)))
  (func $cb32 (param i32)))

(install $c)
(update "call" (arg i32 0))         (expect pending)
(outgoing-calls
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping") (arg (bytes "ping"))))
(respond 1 (reply (bytes "")))      (expect reply (i64 0x1_0000_0001))
;; a (param i32) function is of the wrong type here
(update "call" (arg i32 1))         (expect pending)
(respond 1 (reply (bytes "")))      (expect trap indirect-call-type-mismatch)
