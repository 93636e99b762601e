(vector "stable_grow may fail for lack of resources, but then it returns -1 and changes nothing; it never traps"
  (rules SM32-GROW-5 SM32-GROW-3 SM64-GROW-4)
  (tags boundary ambiguous)
  (notes "The formal text lets any growth fail (arbitrary()); a runtime"
         "without the memory for a full 4 GiB may say -1. Either way the"
         "size afterwards must match the answer."))

(module $c
  (memory 1)
  (func (export "canister_update grow32")
    (call $reply_i32 (call $ic0.stable_grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
(update "grow32" (arg i32 (pages max_stable_memory_32)))
(expect one-of
  (grown reply (i32 0))
  (resource-failure reply (i32 -1)))
(query "size32")
(expect one-of
  (grown reply (i32 (pages max_stable_memory_32)))
  (resource-failure reply (i32 0)))
