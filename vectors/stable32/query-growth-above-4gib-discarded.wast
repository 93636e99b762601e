(vector "a query that grows stable memory past 4 GiB loses the 32-bit API only for itself: the growth is discarded"
  (rules EDGE-QUERYSTABLE TXN-7 SM32-4G-1 SM32-SIZE-2)
  (tags transactions boundary))

(module $c
  (memory 1)
  ;; grows past the 4 GiB mark, then asks the 32-bit API: traps
  (func (export "canister_query grow-then-size32")
    (drop (call $ic0.stable64_grow (call $arg_i64 (i32.const 0))))
    (call $reply_i32 (call $ic0.stable_size)))
  ;; grows past the 4 GiB mark and reports the new size
  (func (export "canister_query grow-then-size64")
    (drop (call $ic0.stable64_grow (call $arg_i64 (i32.const 0))))
    (call $reply_i64 (call $ic0.stable64_size)))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
(query "grow-then-size32" (arg i64 (+ (pages max_stable_memory_32) 1)))
(expect trap stable-too-big-for-32-bit)
(query "grow-then-size64" (arg i64 (+ (pages max_stable_memory_32) 1)))
(expect reply (i64 (+ (pages max_stable_memory_32) 1)))
(replicated-query "grow-then-size64" (arg i64 (+ (pages max_stable_memory_32) 1)))
(expect reply (i64 (+ (pages max_stable_memory_32) 1)))
;; nothing of it stayed: the 32-bit API works and sees an empty memory
(query "size32")  (expect reply (i32 0))
