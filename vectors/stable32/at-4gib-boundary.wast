(vector "at exactly 4 GiB the 32-bit API still works and stable_grow(1) returns -1"
  (rules EDGE-4G SM32-GROW-3 SM32-GROW-4 SM32-SIZE-1)
  (tags boundary))

(module $c
  (memory 1)
  (func (export "canister_update grow32")
    (call $reply_i32 (call $ic0.stable_grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
(update "grow32" (arg i32 (pages max_stable_memory_32)))  (expect reply (i32 0))
(query "size32")         (expect reply (i32 (pages max_stable_memory_32)))
;; one more page would pass 4 GiB: -1, no trap, no change
(update "grow32" (arg i32 1))  (expect reply (i32 -1))
(query "size32")         (expect reply (i32 (pages max_stable_memory_32)))
