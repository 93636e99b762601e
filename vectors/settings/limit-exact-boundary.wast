(vector "an update may end with the heap exactly at wasm_memory_limit; one page more fails it, also for a limit that is not a page multiple"
  (rules HEAP-4 HEAP-5 TXN-2 EDGE-WMLIMIT)
  (tags settings boundary))

(module $c
  (memory 1)
  (global $grown (mut i32) (i32.const 0))
  (func (export "canister_update grow")
    (global.set $grown (i32.add (global.get $grown) (i32.const 1)))
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query state")
    (call $append_i32 (memory.size))
    (call $append_i32 (global.get $grown))
    (call $ic0.msg_reply)))

(install $c)
(settings (wasm_memory_limit (* 3 page)))
(update "grow" (arg i32 2))   (expect reply (i32 1))
(update "grow" (arg i32 1))   (expect trap wasm-memory-limit)
(query "state")               (expect reply (i32 3) (i32 1))
;; one byte above 4 pages: 4 pages fit, 5 do not
(settings (wasm_memory_limit (+ (* 4 page) 1)))
(update "grow" (arg i32 1))   (expect reply (i32 3))
(update "grow" (arg i32 1))   (expect trap wasm-memory-limit)
(query "state")               (expect reply (i32 4) (i32 2))
;; growing by 0 at the limit is fine
(update "grow" (arg i32 0))   (expect reply (i32 4))
