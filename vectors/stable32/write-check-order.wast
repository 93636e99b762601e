(vector "stable_write checks the 4 GiB size first; with both ranges out of bounds the order is the reading's"
  (rules SM32-WRITE-4 EDGE-ORDER SM32-WRITE-2)
  (tags boundary ambiguous)
  (notes "Formal order: size, heap range, stable range; the replica checks"
         "the stable range before the heap range. Every order starts with"
         "the size check."))

(module $c
  (memory 1)
  (func (export "canister_update grow64")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  ;; both ranges out: heap 65536 + 8 and stable offset 2^32 - 1 + 8
  (func (export "canister_update write")
    (call $ic0.stable_write (i32.const 0xffffffff) (i32.const 65536)
                            (i32.const 8))
    (call $reply_empty)))

(install $c)
(update "write")
(expect one-of
  (formal trap heap-out-of-bounds)
  (stable-first trap stable-out-of-bounds))
;; above 4 GiB the size check wins over both range checks
(update "grow64" (arg i64 (+ (pages max_stable_memory_32) 1)))  (expect reply (i64 0))
(update "write")  (expect trap stable-too-big-for-32-bit)
