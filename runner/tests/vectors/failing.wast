(vector "a deliberately wrong expectation: the runner must report it"
  (rules SM-2)
  (tags runner-test))

(module $c
  (memory 1)
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(query "size")  (expect reply (i64 1))
