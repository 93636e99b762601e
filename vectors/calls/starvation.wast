(vector "a call context that owes a response stays open while calls are outstanding; when its last callback returns or traps without a response the system rejects it, and the changes of a returning callback persist"
  (rules CALL-CONTEXT-1 CALL-CONTEXT-2 MSG-RESP-3 CALL-TXN-1)
  (tags calls))

;; "call" performs argument-many calls and returns. The callback adds 1
;; at 1000, performs one more call when the reply data is 2, traps when
;; it is 1.
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
    (local $n i32)
    (local.set $n (call $arg_i32 (i32.const 0)))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (call $send)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more))))
  (func $cb (param i32)
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1)))
    (call $ic0.msg_arg_data_copy (i32.const 300) (i32.const 0) (i32.const 1))
    (if (i32.eq (i32.load8_u (i32.const 300)) (i32.const 2)) (then (call $send)))
    (if (i32.eq (i32.load8_u (i32.const 300)) (i32.const 1)) (then (unreachable))))
  (func (export "canister_query count")
    (call $reply_i64 (i64.load (i32.const 1000)))))

(install $c)
;; no calls and no reply: rejected at once (MSG-RESP-3)
(update "call" (arg i32 0))          (expect no-reply)
(update "call" (arg i32 2))          (expect pending)
(respond 1 (reply (bytes "\00")))    (expect pending)
;; a callback may call again: the context waits for that call too
(respond 1 (reply (bytes "\02")))    (expect pending)
(query "count")                      (expect reply (i64 2))
(respond 1 (reply (bytes "\00")))    (expect no-reply)
(query "count")                      (expect reply (i64 3))
;; a callback that traps while another call is outstanding: the
;; context waits for that one
(update "call" (arg i32 2))          (expect pending)
(respond 1 (reply (bytes "\01")))    (expect trap unreachable)
(respond 1 (reply (bytes "\00")))    (expect no-reply)
(query "count")                      (expect reply (i64 4))
;; the last callback traps: its change goes, the context is rejected
(update "call" (arg i32 1))          (expect pending)
(respond 1 (reply (bytes "\01")))    (expect trap unreachable)
(query "count")                      (expect reply (i64 4))
(outgoing-calls)
