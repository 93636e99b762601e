(vector "a call without an argument has an empty one: size 0, a zero-length copy at 0 works, one byte traps"
  (rules MSG-ARG-1 COPY-5 EDGE-ZERO)
  (tags messages boundary))

(module $c
  (memory 1)
  (func (export "canister_query size")
    (call $reply_i32 (call $ic0.msg_arg_data_size)))
  (func (export "canister_query copy-nothing")
    (call $ic0.msg_arg_data_copy (i32.const 100) (i32.const 0) (i32.const 0))
    (call $reply_empty))
  (func (export "canister_query copy-one")
    (call $ic0.msg_arg_data_copy (i32.const 100) (i32.const 0) (i32.const 1))
    (call $reply_empty)))

(install $c)
(query "size")          (expect reply (i32 0))
(query "copy-nothing")  (expect reply)
(query "copy-one")      (expect trap contract-violation)
