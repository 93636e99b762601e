(vector "wasm_memory_limit: an update that ends exactly at the limit commits, one page more traps and changes nothing"
  (rules HEAP-4 HEAP-5 HEAP-8 TXN-2)
  (tags boundary settings))

(module $c
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "canister_update grow")
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query state")
    (call $append_i32 (memory.size))
    (call $append_i32 (global.get $g))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.msg_reply)))

(install $c)
(settings (wasm_memory_limit (* 3 page)))
(update "grow" (arg i32 2))  (expect reply (i32 1))
(query "state")              (expect reply (i32 3) (i32 1) (i64 1))
;; 4 pages > limit: the whole update is discarded (heap, global, stable)
(update "grow" (arg i32 1))  (expect trap wasm-memory-limit)
(query "state")              (expect reply (i32 3) (i32 1) (i64 1))
;; growth that is undone before the end: the limit looks at the result
(update "grow" (arg i32 0))  (expect reply (i32 3))
