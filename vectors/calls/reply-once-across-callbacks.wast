(vector "a call context is answered once: a callback that responds after the update replied traps and rolls back; one that returns leaves nothing due"
  (rules EDGE-REPLY-TWICE-ACROSS MSG-RESP-2 CALL-CONTEXT-1 CALL-TXN-1)
  (tags calls))

;; "call" performs two calls; with argument 1 it also replies. The
;; callback adds 1 at 1000 and replies when the reply data says so.
(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func $send
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform)))
  (func (export "canister_update call")
    (call $send)
    (call $send)
    (if (call $arg_i32 (i32.const 0)) (then (call $reply_i64 (i64.const 1)))))
  (func $cb (param i32)
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1)))
    (call $ic0.msg_arg_data_copy (i32.const 300) (i32.const 0) (i32.const 1))
    (if (i32.load8_u (i32.const 300)) (then (call $reply_i64 (i64.const 2)))))
  (func (export "canister_query count")
    (call $reply_i64 (i64.load (i32.const 1000)))))

(install $c)
;; replied by the update: a callback's reply traps, returning is fine
(update "call" (arg i32 1))          (expect reply (i64 1))
(respond 1 (reply (bytes "\01")))    (expect trap contract-violation)
(query "count")                      (expect reply (i64 0))
(respond 1 (reply (bytes "\00")))    (expect returned)
(query "count")                      (expect reply (i64 1))
;; not replied: the first callback replies, the second may not
(update "call" (arg i32 0))          (expect pending)
(respond 1 (reply (bytes "\01")))    (expect reply (i64 2))
(respond 1 (reply (bytes "\01")))    (expect trap contract-violation)
(query "count")                      (expect reply (i64 2))
(outgoing-calls)
