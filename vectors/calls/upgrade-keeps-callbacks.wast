(vector "upgrade and reinstall do not cancel outstanding calls: the response runs the function at the closure's table index in the new module"
  (rules UPG-6 EDGE-REINSTALL-CB CALL-CALLBACK-1 CALL-CALLBACK-3)
  (tags calls lifecycle))

;; $v1's callback at index 0 replies 1; $v2 has a different function at
;; index 0 (replies 2); $v3's table is empty.
(module $v1
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform)))
  (func $cb (param i32) (call $reply_i64 (i64.const 1))))
(module $v2
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $other)
  (func $other (param i32) (call $reply_i64 (i64.const 2))))
(module $v3
  (memory 1)
  (table 0 funcref))

(install $v1)
(update "call")                     (expect pending)
(update "call")                     (expect pending)
(update "call")                     (expect pending)
(respond 1 (reply (bytes "")))      (expect reply (i64 1))
(upgrade $v2)
(respond 1 (reply (bytes "")))      (expect reply (i64 2))
(reinstall $v3)
(respond 1 (reply (bytes "")))      (expect trap table-out-of-bounds)
(outgoing-calls)
