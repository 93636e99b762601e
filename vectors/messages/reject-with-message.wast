(vector "msg_reject answers with CANISTER_REJECT and the canister's message"
  (rules MSG-REJECT-1)
  (tags basic))

(module $c
  (memory 1)
  (data (i32.const 100) "no thanks")
  (func (export "canister_update refuse")
    (call $ic0.msg_reject (i32.const 100) (i32.const 9))))

(install $c)
(update "refuse")  (expect reject canister-reject (text "no thanks"))
