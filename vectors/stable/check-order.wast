(vector "stable64_write with both ranges out of bounds: which check comes first"
  (rules EDGE-ORDER SM64-WRITE-2)
  (tags ambiguous)
  (notes "The formal text checks the heap range before the stable range for"
         "writes; the replica checks the stable range first. Both trap; the"
         "category says which reading the runtime follows."))

(module $c
  (memory 1)
  (func (export "canister_update write")
    ;; stable memory is empty and the heap has one page: both are out
    (call $ic0.stable64_write (i64.const 0) (i64.const 65536) (i64.const 8))
    (call $reply_empty)))

(install $c)
(update "write")
(expect one-of
  (formal trap heap-out-of-bounds)
  (stable-first trap stable-out-of-bounds))
