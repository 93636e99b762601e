(vector "wasm_memory_threshold accepts every value up to max_wasm_memory_threshold (2^48 since 0.64.0, 2^64 - 1 before)"
  (rules LIM-SET-1 LOW-2)
  (tags boundary settings))

(module $c
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $c)
(settings (wasm_memory_threshold max_wasm_memory_threshold))
(settings (wasm_memory_threshold (- max_wasm_memory_threshold 1)))
(settings (wasm_memory_threshold 0))
(query "hello")  (expect reply (i32 1))
