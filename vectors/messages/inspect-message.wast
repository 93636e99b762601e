(vector "canister_inspect_message accepts or refuses an ingress message; its changes vanish"
  (rules MSG-INSPECT-1 TXN-9)
  (tags basic))

(module $c
  (memory 1)
  (global $seen (mut i64) (i64.const 0))
  (data (i32.const 100) "welcome")
  ;; accepts only methods whose name starts with "w"; counts every look
  (func (export "canister_inspect_message")
    (global.set $seen (i64.add (global.get $seen) (i64.const 1)))
    (call $ic0.msg_method_name_copy (i32.const 200) (i32.const 0) (i32.const 1))
    (if (i32.eq (i32.load8_u (i32.const 200)) (i32.const 119)) ;; 'w'
      (then (call $ic0.accept_message))))
  (func (export "canister_update welcome")
    (call $reply_data (i32.const 100) (i32.const 7)))
  (func (export "canister_update other")
    (call $reply_empty))
  (func (export "canister_query seen")
    (call $reply_i64 (global.get $seen))))

(install $c)
(inspect-message "welcome")  (expect reply)
(inspect-message "other")    (expect reject canister-reject message-not-accepted)
(query "seen")               (expect reply (i64 0))
(update "welcome")           (expect reply (text "welcome"))
