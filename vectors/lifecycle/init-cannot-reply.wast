(vector "canister_init calling a function not available there (msg_reply) traps, and the install fails"
  (rules CTX-1 TXN-4 INST-1)
  (tags lifecycle contexts))

(module $c
  (memory 1)
  (func (export "canister_init")
    (call $ic0.msg_reply))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $c)      (expect install-rejected not-allowed-in-this-context)
(query "hello")   (expect reject destination-invalid canister-empty)
