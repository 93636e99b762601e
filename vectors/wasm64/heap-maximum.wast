(vector "a wasm64 heap grows to exactly the profile's max_heap_wasm64; one more page returns -1"
  (rules W64-6 LIM-HEAP-2 EDGE-W64HEAP HEAP-3)
  (tags wasm64 boundary)
  (notes "The spec does not give the wasm64 maximum (4 GiB beta, 6 and 8 GiB"
         "planned): it is the profile's max_heap_wasm64. Past it the replica"
         "caps the declared maximum, so memory.grow returns -1."))

(module $c
  (memory i64 1)
  (func (export "canister_update grow")
    (call $reply_i64 (memory.grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i64 (memory.size)))
  ;; the last 8 bytes of the heap, at an address that needs 64 bits when
  ;; the maximum is above 4 GiB
  (func (export "canister_update last8")
    (local $end i64)
    (local.set $end (i64.mul (memory.size) (i64.const 65536)))
    (i64.store (i64.sub (local.get $end) (i64.const 8)) (i64.const 0x64))
    (call $reply_i64 (i64.load (i64.sub (local.get $end) (i64.const 8))))))

(install $c)
(update "grow" (arg i64 (pages max_heap_wasm64)))  (expect reply (i64 -1))
(update "grow" (arg i64 (- (pages max_heap_wasm64) 1)))  (expect reply (i64 1))
(query "size")   (expect reply (i64 (pages max_heap_wasm64)))
(update "last8") (expect reply (i64 0x64))
(update "grow" (arg i64 1))   (expect reply (i64 -1))
(update "grow" (arg i64 0))   (expect reply (i64 (pages max_heap_wasm64)))
