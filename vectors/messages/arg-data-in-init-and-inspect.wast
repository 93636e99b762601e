(vector "canister_init and canister_inspect_message see the argument of their call"
  (rules MSG-ARG-1 MSG-INSPECT-1 INST-1)
  (tags messages))

(module $c
  (memory 1)
  (global $init-arg (mut i64) (i64.const 0))
  (func (export "canister_init")
    (global.set $init-arg (call $arg_i64 (i32.const 0))))
  ;; accepts only an ingress message whose argument is the i64 7
  (func (export "canister_inspect_message")
    (if (i64.eq (call $arg_i64 (i32.const 0)) (i64.const 7))
      (then (call $ic0.accept_message))))
  (func (export "canister_update echo")
    (call $reply_i64 (call $arg_i64 (i32.const 0))))
  (func (export "canister_query init-arg")
    (call $reply_i64 (global.get $init-arg))))

(install $c (arg i64 4242))
(query "init-arg")                     (expect reply (i64 4242))
(inspect-message "echo" (arg i64 7))   (expect reply)
(inspect-message "echo" (arg i64 8))   (expect reject canister-reject message-not-accepted)
