(vector "the 32-bit API's 4 GiB check looks at the stable memory, not at the heap"
  (rules SM32-FORMAL-BUG-1 SM32-4G-1 SM32-SIZE-2)
  (tags boundary)
  (notes "The formal text guards the 32-bit calls with |wasm_memory| > 2^32"
         "(the heap); the prose means the stable memory. A heap larger than"
         "the mark must not matter (only reachable under small-limits,"
         "where the heap maximum exceeds max_stable_memory_32; on the IC"
         "a wasm32 heap never exceeds 4 GiB), and a stable memory larger"
         "than the mark must trap even with a one-page heap."))

(module $c
  (memory 1)
  (func (export "canister_update grow-heap")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_update grow64")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
;; a one-page heap and a stable memory past the mark: traps
(update "grow64" (arg i64 (+ (pages max_stable_memory_32) 1)))  (expect reply (i64 0))
(query "size32")  (expect trap stable-too-big-for-32-bit)
;; a heap at its maximum and an empty stable memory: works
(reinstall $c)
(update "grow-heap" (arg i32 (- (pages max_heap_wasm32) 1)))  (expect reply (i32 1))
(query "size32")  (expect reply (i32 0))
