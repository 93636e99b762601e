(vector "stable64_read with both ranges out of bounds traps on the stable range"
  (rules EDGE-ORDER SM64-READ-2)
  (tags boundary)
  (notes "For reads the formal text checks the stable range first, and so"
         "does the replica: both readings agree (EDGE-ORDER)."))

(module $c
  (memory 1)
  (global $reads (mut i64) (i64.const 0))
  (func (export "canister_update read")
    (global.set $reads (i64.add (global.get $reads) (i64.const 1)))
    ;; stable memory is empty and heap 65536 + 8 is past the one page
    (call $ic0.stable64_read (i64.const 65536) (i64.const 0) (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query reads")
    (call $reply_i64 (global.get $reads))))

(install $c)
(update "read")   (expect trap stable-out-of-bounds)
(query "reads")   (expect reply (i64 0))
