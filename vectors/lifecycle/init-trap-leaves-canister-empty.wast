(vector "a trap in canister_init fails the install and leaves the canister empty"
  (rules TXN-4 INST-1)
  (tags lifecycle transactions))

(module $bad
  (memory 1)
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (unreachable))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(module $good
  (memory 1)
  (func (export "canister_query stable-size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $bad)           (expect install-rejected unreachable)
(query "hello")          (expect reject destination-invalid canister-empty)
(install $good)
(query "stable-size")    (expect reply (i64 0))
