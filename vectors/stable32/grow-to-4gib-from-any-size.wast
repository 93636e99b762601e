(vector "stable_grow reaches exactly 4 GiB from any size and returns -1 for one page more, changing nothing"
  (rules SM32-GROW-3 SM32-GROW-4 EDGE-4G SM-4 SM64-GROW-4)
  (tags boundary)
  (notes "The 4 GiB mark is the profile's max_stable_memory_32. Pages grown"
         "with stable64_grow count as well (one memory, two APIs)."))

(module $c
  (memory 1)
  (func (export "canister_update grow32")
    (call $reply_i32 (call $ic0.stable_grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_update grow64")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
;; from empty: one page past 4 GiB fails at once
(update "grow32" (arg i32 (+ (pages max_stable_memory_32) 1)))  (expect reply (i32 -1))
(query "size32")   (expect reply (i32 0))
;; from 5 pages (grown by the 64-bit API): the rest plus one fails,
;; exactly the rest succeeds
(update "grow64" (arg i64 5))  (expect reply (i64 0))
(update "grow32" (arg i32 (- (pages max_stable_memory_32) 4)))  (expect reply (i32 -1))
(query "size32")   (expect reply (i32 5))
(update "grow32" (arg i32 (- (pages max_stable_memory_32) 5)))  (expect reply (i32 5))
(query "size32")   (expect reply (i32 (pages max_stable_memory_32)))
;; at 4 GiB, growing by zero still works and reports the size
(update "grow32" (arg i32 0))  (expect reply (i32 (pages max_stable_memory_32)))
(update "grow32" (arg i32 1))  (expect reply (i32 -1))
(query "size32")   (expect reply (i32 (pages max_stable_memory_32)))
