(vector "reinstall drops stable memory and resets the heap"
  (rules INST-2 SM-6)
  (tags lifecycle))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (i32.store (i32.const 100) (i32.const 5))
    (call $reply_i64 (call $ic0.stable64_grow (i64.const 3))))
  (func (export "canister_query word")
    (call $reply_i32 (i32.load (i32.const 100)))))

(install $c)
(update "grow")           (expect reply (i64 0))
(probe stable-size)       (expect reply (i64 3))
(reinstall $c)
(probe stable-size)       (expect reply (i64 0))
(probe heap-size)         (expect reply (i64 1))
(query "word")            (expect reply (i32 0))
