(vector "debug_print lines of replicated executions go to the canister log with growing indexes and the execution's time; queries log nothing"
  (rules LOG-1 MSG-DBG-1)
  (requires logs replicated-query)
  (tags logs)
  (notes "fetch_canister_logs: logs are not collected in non-replicated"
         "executions (NRQ, CQ, F...). A replicated query is replicated. An"
         "out-of-bounds range never traps (EDGE-DBG-OOB) and, in the"
         "reference, logs nothing. Timestamps are checked by the model's"
         "unit tests: a vector cannot know the clock of a run that an"
         "allocation failure repeated."))

(module $c
  (memory 1)
  (data (i32.const 100) "initupdatequery")
  (func (export "canister_init")
    (call $ic0.debug_print (i32.const 100) (i32.const 4)))
  (func (export "canister_update print")
    (call $ic0.debug_print (i32.const 104) (i32.const 6))
    (call $ic0.debug_print (i32.const 0) (i32.const 0))
    (call $reply_empty))
  (func (export "canister_update out-of-bounds")
    (call $ic0.debug_print (i32.const 65530) (i32.const 7))
    (call $reply_empty))
  (func (export "canister_query quiet")
    (call $ic0.debug_print (i32.const 110) (i32.const 5))
    (call $reply_empty)))

(install $c)
(canister-logs count)           (expect reply (i64 1))
(canister-logs content 0)       (expect reply (text "init"))
(update "print")
(query "quiet")
(inspect-message "print")
(canister-logs count)           (expect reply (i64 3))
(canister-logs content 1)       (expect reply (text "update"))
(canister-logs content 2)       (expect reply (bytes ""))
(canister-logs idx 0)           (expect reply (i64 0))
(canister-logs idx 2)           (expect reply (i64 2))
(replicated-query "quiet")
(canister-logs count)           (expect reply (i64 4))
(canister-logs content 3)       (expect reply (text "query"))
(update "out-of-bounds")
(canister-logs count)           (expect reply (i64 4))
