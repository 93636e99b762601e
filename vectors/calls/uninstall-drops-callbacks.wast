(vector "after uninstall_code a response runs no callback, even when code was installed again in between"
  (rules CALL-UNINSTALL-1 UNI-1 EDGE-REINSTALL-CB)
  (tags calls lifecycle))

(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform)))
  (func $cb (param i32)
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1)))
    (call $reply_empty))
  (func (export "canister_query count")
    (call $reply_i64 (i64.load (i32.const 1000)))))

(install $c)
(update "call")                     (expect pending)
(update "call")                     (expect pending)
(uninstall)
;; the calls were sent: their responses still arrive
(outgoing-calls
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping"))
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping")))
(respond 1 (reply (bytes "")))      (expect returned call-context-deleted)
(install $c)
(respond 1 (reply (bytes "")))      (expect returned call-context-deleted)
(query "count")                     (expect reply (i64 0))
(outgoing-calls)
