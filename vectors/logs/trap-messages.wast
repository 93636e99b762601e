(vector "a trapped execution's debug_print lines and trap message: kept in the log (prose, replica) or dropped (formal)"
  (rules EDGE-LOGS-ON-TRAP LOG-1 MSG-TRAP-1)
  (requires logs)
  (tags logs ambiguous)
  (notes "The prose of fetch_canister_logs says the logs include trap"
         "messages; the Formal model appends canister_logs only on"
         "success. The trap record's content is the runtime's text: only"
         "its presence is compared."))

(module $c
  (memory 1)
  (data (i32.const 100) "beforeboom")
  (func (export "canister_update fail")
    (call $ic0.debug_print (i32.const 100) (i32.const 6))
    (call $ic0.trap (i32.const 106) (i32.const 4)))
  (func (export "canister_update crash")
    (call $ic0.debug_print (i32.const 100) (i32.const 6))
    (unreachable))
  (func (export "canister_update ok")
    (call $ic0.debug_print (i32.const 106) (i32.const 4))
    (call $reply_empty)))

(install $c)
(update "fail")                 (expect trap explicit-trap)
(canister-logs count)
(expect one-of
  (kept reply (i64 2))
  (dropped reply (i64 0)))
(update "crash")                (expect trap unreachable)
(canister-logs count)
(expect one-of
  (kept reply (i64 4))
  (dropped reply (i64 0)))
(update "ok")
(canister-logs count)
(expect one-of
  (kept reply (i64 5))
  (dropped reply (i64 1)))
(canister-logs content 0)
(expect one-of
  (kept reply (text "before"))
  (dropped reply (text "boom")))
