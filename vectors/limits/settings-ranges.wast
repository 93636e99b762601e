(vector "wasm_memory_limit accepts up to max_wasm_memory_limit (2^48 - 1) and refuses more"
  (rules LIM-SET-1)
  (tags boundary settings))

(module $c
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $c)
(settings (wasm_memory_limit max_wasm_memory_limit))
(settings (wasm_memory_limit (+ max_wasm_memory_limit 1)))
(expect reject canister-error invalid-settings)
(settings (wasm_memory_limit (- 0 1)))
(expect reject canister-error invalid-settings)
;; 0 means no limit
(settings (wasm_memory_limit 0))
(query "hello")  (expect reply (i32 1))
