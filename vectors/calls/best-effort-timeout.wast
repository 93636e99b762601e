(vector "a best-effort call carries its timeout as given; when it times out the reject callback runs with SYS_UNKNOWN"
  (rules CALL-BEST-EFFORT-1 CALL-CALLBACK-2 CALL-BUILD-1)
  (tags calls))

(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (call $ic0.call_with_best_effort_response (call $arg_i32 (i32.const 0)))
    (drop (call $ic0.call_perform)))
  (func $cb (param i32)
    (call $reply_i32 (call $ic0.msg_reject_code))))

(install $c)
(update "call" (arg i32 10))        (expect pending)
(update "call" (arg i32 0xffff_ffff)) (expect pending)
(outgoing-calls
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping") (best-effort 10))
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping") (best-effort 0xffff_ffff)))
;; answered in any order: the second first
(respond 2 (reply (bytes "")))      (expect reply (i32 0))
(respond 1 timeout)                 (expect reply (i32 6))
