(vector "stable_read checks the 4 GiB size first, then the stable range, then the heap range"
  (rules SM32-READ-4 EDGE-ORDER SM32-READ-2)
  (tags boundary)
  (notes "For reads the formal text and the replica agree: the stable range"
         "before the heap range."))

(module $c
  (memory 1)
  (func (export "canister_update grow64")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  ;; both ranges out: heap 65536 + 8 and stable offset 2^32 - 1 + 8
  (func (export "canister_update read")
    (call $ic0.stable_read (i32.const 65536) (i32.const 0xffffffff)
                           (i32.const 8))
    (call $reply_empty)))

(install $c)
(update "read")   (expect trap stable-out-of-bounds)
(update "grow64" (arg i64 (+ (pages max_stable_memory_32) 1)))  (expect reply (i64 0))
(update "read")   (expect trap stable-too-big-for-32-bit)
