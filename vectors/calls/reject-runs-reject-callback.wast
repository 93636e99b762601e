(vector "a reject runs the reject callback with the reject code and message; in a reply callback msg_reject_code is 0; a callback may reject the original call"
  (rules CALL-CALLBACK-1 CALL-CALLBACK-2 CALL-CONTEXT-1)
  (tags calls))

;; Both closures name $either (table index 0). It replies with
;; msg_reject_code and, after a reject, the message's bytes.
(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $either)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform)))
  (func $either (param $env i32)
    (local $code i32)
    ;; a reply "R" makes the callback reject the original call
    (if (i32.eqz (call $ic0.msg_reject_code))
      (then (if (i32.eq (call $ic0.msg_arg_data_size) (i32.const 1))
        (then (call $ic0.msg_reject (i32.const 110) (i32.const 4))
              (return)))))
    (local.set $code (call $ic0.msg_reject_code))
    (call $append_i32 (local.get $code))
    (if (local.get $code)
      (then
        (call $ic0.msg_reject_msg_copy (i32.const 300) (i32.const 0)
          (call $ic0.msg_reject_msg_size))
        (call $ic0.msg_reply_data_append (i32.const 300) (call $ic0.msg_reject_msg_size))))
    (call $ic0.msg_reply)))

(install $c)
(update "call")   (expect pending)
(respond 1 (reject canister-reject "nope"))
(expect reply (i32 4) (bytes "nope"))
(update "call")   (expect pending)
(respond 1 (reject sys-transient "busy"))
(expect reply (i32 2) (bytes "busy"))
(update "call")   (expect pending)
(respond 1 (reply (bytes "data")))
(expect reply (i32 0))
(update "call")   (expect pending)
(respond 1 (reply (bytes "R")))
(expect reject canister-reject (bytes "ping"))
