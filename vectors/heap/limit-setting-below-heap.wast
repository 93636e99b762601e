(vector "update_settings accepts a wasm_memory_limit equal to the heap and refuses one byte less"
  (rules HEAP-6 LIM-SET-1)
  (tags settings boundary))

(module $c
  (memory 2)
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $c)
(settings (wasm_memory_limit (- (* 2 page) 1)))
(expect reject canister-error invalid-settings)
(settings (wasm_memory_limit (* 2 page)))
(query "size")  (expect reply (i32 2))
