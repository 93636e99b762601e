(vector "wasm_memory_limit fails updates that end above it; settings below the heap are refused"
  (rules HEAP-4 HEAP-5 HEAP-6 LIM-SET-1 TXN-2)
  (tags settings))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query grow-in-query")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $c)
(settings (wasm_memory_limit (* 3 page)))
(update "grow" (arg i32 1))   (expect reply (i32 1))
(update "grow" (arg i32 2))   (expect trap wasm-memory-limit)
(query "size")                (expect reply (i32 2))
;; queries are not limited, and they commit nothing anyway
(query "grow-in-query" (arg i32 5))  (expect reply (i32 2))
(settings (wasm_memory_limit page))
(expect reject canister-error invalid-settings)
(settings (wasm_memory_limit (+ max_wasm_memory_limit 1)))
(expect reject canister-error invalid-settings)
(settings (wasm_memory_limit 0))
(update "grow" (arg i32 2))   (expect reply (i32 2))
