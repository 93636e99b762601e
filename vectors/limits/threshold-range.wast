(vector "wasm_memory_threshold accepts every 64-bit value up to 2^64 - 1"
  (rules LIM-SET-1)
  (tags boundary settings))

(module $c
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $c)
(settings (wasm_memory_threshold (- 0 1)))
(settings (wasm_memory_threshold 0))
(query "hello")  (expect reply (i32 1))
