(vector "memory.grow past the heap maximum returns -1; grown pages read as zeros"
  (rules HEAP-3 LIM-HEAP-1)
  (tags boundary))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size)))
  ;; the last 8 bytes of the heap
  (func (export "canister_query last8")
    (call $reply_i64
      (i64.load (i32.sub (i32.mul (memory.size) (i32.const 65536))
                         (i32.const 8))))))

(install $c)
(update "grow" (arg i32 (+ (pages max_heap_wasm32) 1)))  (expect reply (i32 -1))
(update "grow" (arg i32 2))   (expect reply (i32 1))
(query "size")                (expect reply (i32 3))
(query "last8")               (expect reply (i64 0))
