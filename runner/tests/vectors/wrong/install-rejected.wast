(vector "an install that succeeds expected as refused"
  (rules SM-2)
  (tags runner-test))

(module $c
  (memory 1)
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)  (expect install-rejected)
