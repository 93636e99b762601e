(vector "stable_grow reads its argument as unsigned: huge requests return -1"
  (rules EDGE-GROWARG SM32-GROW-3)
  (tags boundary)
  (notes "ic-hs once added a negative argument and shrank the memory"
         "(IMPL-4); the spec says the number is unsigned."))

(module $c
  (memory 1)
  (func (export "canister_update grow32")
    (call $reply_i32 (call $ic0.stable_grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
(update "grow32" (arg i32 1))           (expect reply (i32 0))
(update "grow32" (arg i32 -1))          (expect reply (i32 -1))
(update "grow32" (arg i32 0x80000000))  (expect reply (i32 -1))
(query "size32")                        (expect reply (i32 1))
