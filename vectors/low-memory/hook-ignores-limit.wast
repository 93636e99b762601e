(vector "canister_on_low_wasm_memory may grow the heap past wasm_memory_limit"
  (rules LOW-6 EDGE-WMLIMIT HEAP-5)
  (tags low-memory ambiguous)
  (notes "The formal model runs the hook with no limit; the prose lists"
         "where the limit is ignored and does not name the hook."))

(module $c
  (memory 1)
  (func (export "canister_on_low_wasm_memory")
    (drop (memory.grow (i32.const 2))))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0))))))

(install $c)
(settings (wasm_memory_limit (* 3 page)) (wasm_memory_threshold (* 2 page)))
(update "grow" (arg i32 1))        (expect reply (i32 1))
(system-task on_low_wasm_memory)
(expect one-of
  (formal no-reply)
  (limit-in-hook trap wasm-memory-limit))
(probe heap-size)
(expect one-of
  (formal reply (i64 4))
  (limit-in-hook reply (i64 2)))
