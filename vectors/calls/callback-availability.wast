(vector "the availability table in callbacks: a reply callback may read its argument but not a reject message, a reject callback the reverse; both may call and add cycles; only callbacks and cleanup read msg_reject_code; queries may not call"
  (rules CTX-1 CALL-CALLBACK-1 CALL-CALLBACK-2 CALL-BUILD-1)
  (tags calls availability))

;; The callbacks (index 0 for both) try what the response's first byte
;; (a reply) or the reject message's first byte says after writing it at
;; 1000: 1 msg_arg_data_size, 2 msg_reject_msg_size, 3 call_new +
;; call_cycles_add128 + call_perform, 4 msg_caller_size. Each but 4 then
;; replies with that number and 1.
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
    (drop (call $ic0.call_perform)))
  (func $cb (param i32)
    (local $what i32)
    (if (call $ic0.msg_reject_code)
      (then (call $ic0.msg_reject_msg_copy (i32.const 300) (i32.const 0) (i32.const 1)))
      (else (call $ic0.msg_arg_data_copy (i32.const 300) (i32.const 0) (i32.const 1))))
    (local.set $what (i32.load8_u (i32.const 300)))
    (i64.store (i32.const 1000) (i64.extend_i32_u (local.get $what)))
    (if (i32.eq (local.get $what) (i32.const 1)) (then (drop (call $ic0.msg_arg_data_size))))
    (if (i32.eq (local.get $what) (i32.const 2)) (then (drop (call $ic0.msg_reject_msg_size))))
    (if (i32.eq (local.get $what) (i32.const 3))
      (then (call $new)
            (call $ic0.call_cycles_add128 (i64.const 0) (i64.const 1))
            (drop (call $ic0.call_perform))))
    (if (i32.eq (local.get $what) (i32.const 4)) (then (drop (call $ic0.msg_caller_size))))
    (if (i32.eq (local.get $what) (i32.const 4)) (then (return)))
    (call $append_i64 (i64.load (i32.const 1000)))
    (call $append_i64 (i64.const 1))
    (call $ic0.msg_reply))
  (func (export "canister_update reject_code")
    (call $reply_i32 (call $ic0.msg_reject_code)))
  (func (export "canister_query query_call")
    (call $new))
  (func (export "canister_update state")
    (call $reply_i64 (i64.load (i32.const 1000)))))

(install $c)
;; reply callback: its argument yes, a reject message no
(update "call")                      (expect pending)
(respond 1 (reply (bytes "\01")))    (expect reply (i64 1) (i64 1))
(update "call")                      (expect pending)
(respond 1 (reply (bytes "\02")))    (expect trap not-allowed-in-this-context)
;; reject callback: the reverse
(update "call")                      (expect pending)
(respond 1 (reject canister-reject "\02"))  (expect reply (i64 2) (i64 1))
(update "call")                      (expect pending)
(respond 1 (reject canister-reject "\01"))  (expect trap not-allowed-in-this-context)
;; both may call, with cycles, and read the caller
(update "call")                      (expect pending)
(respond 1 (reply (bytes "\03")))    (expect reply (i64 3) (i64 1))
(respond 1 (reject sys-fatal "\04")) (expect returned)
(update "state")                     (expect reply (i64 4))
(outgoing-calls)
;; outside callbacks
(update "reject_code")               (expect trap not-allowed-in-this-context)
(query "query_call")                 (expect trap not-allowed-in-this-context)
(replicated-query "query_call")      (expect trap not-allowed-in-this-context)
