(vector "a wasm32 heap grows to exactly the profile's max_heap_wasm32; one more page returns -1 and changes nothing"
  (rules HEAP-3 LIM-HEAP-1 HEAP-8)
  (tags boundary)
  (notes "max_heap_wasm32 is 4 GiB (65,536 pages) on the IC and 32 pages in"
         "small-limits."))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size)))
  ;; store and load the heap's last 4 bytes
  (func (export "canister_update last4")
    (local $at i32)
    (local.set $at (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 4)))
    (i32.store (local.get $at) (i32.const 0x4c415354))
    (call $reply_i32 (i32.load (local.get $at)))))

(install $c)
(update "grow" (arg i32 (- (pages max_heap_wasm32) 1)))  (expect reply (i32 1))
(query "size")   (expect reply (i32 (pages max_heap_wasm32)))
(update "last4") (expect reply (i32 0x4c415354))
(update "grow" (arg i32 1))  (expect reply (i32 -1))
(update "grow" (arg i32 0))  (expect reply (i32 (pages max_heap_wasm32)))
