(vector "cycles added to a call leave the balance at once, a discarded call gives them back, and adding more than the balance traps"
  (rules CALL-CYCLES-1 CALL-BUILD-1 CALL-BUILD-2)
  (tags calls cycles))

;; "call": add 100 to a call and read the balance (a), start a new call
;; (the first is discarded) and read it (b), add 30 and 2 (the wasm32
;; call_cycles_add) and perform. The callback writes the refunded
;; cycles, both ways, over 0xff bytes at 400: a response carries none.
(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func $new
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
  (func (export "canister_update call")
    (call $new)
    (call $ic0.call_cycles_add128 (i64.const 0) (i64.const 100))
    (call $ic0.canister_cycle_balance128 (i32.const 200))
    (call $append_i64 (i64.load (i32.const 200)))
    (call $new)
    (call $ic0.canister_cycle_balance128 (i32.const 200))
    (call $append_i64 (i64.load (i32.const 200)))
    (call $ic0.call_cycles_add128 (i64.const 0) (i64.const 30))
    (call $ic0.call_cycles_add (i64.const 2))
    (drop (call $ic0.call_perform))
    (call $ic0.msg_reply))
  (func (export "canister_update too_many")
    (call $new)
    (call $ic0.call_cycles_add128 (i64.const 0) (call $arg_i64 (i32.const 0)))
    (call $reply_empty))
  (data (i32.const 400) "\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff\ff")
  (func $cb (param i32)
    (call $ic0.msg_cycles_refunded128 (i32.const 400))
    (i64.store (i32.const 416) (call $ic0.msg_cycles_refunded)))
  (func (export "canister_query refunded")
    (call $append_i64 (i64.load (i32.const 400)))
    (call $append_i64 (i64.load (i32.const 408)))
    (call $append_i64 (i64.load (i32.const 416)))
    (call $ic0.msg_reply)))

(install $c)
(update "call")
(expect reply (i64 (- cycle_balance 100)) (i64 cycle_balance))
(outgoing-calls
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping") (cycles 32)))
(respond 1 (reject canister-reject "no"))
(expect returned)
(query "refunded")       (expect reply (i64 0) (i64 0) (i64 0))
(update "too_many" (arg i64 cycle_balance))          (expect reply (bytes ""))
(update "too_many" (arg i64 (+ cycle_balance 1)))    (expect trap contract-violation)
