(vector "memory.grow past the module's declared maximum returns -1, at it succeeds"
  (rules HEAP-3 HEAP-8)
  (tags boundary))

(module $c
  (memory 1 3)
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $c)
(update "grow" (arg i32 3))  (expect reply (i32 -1))
(update "grow" (arg i32 2))  (expect reply (i32 1))
(update "grow" (arg i32 1))  (expect reply (i32 -1))
(query "size")               (expect reply (i32 3))
