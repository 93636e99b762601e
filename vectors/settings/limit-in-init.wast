(vector "wasm_memory_limit applies to canister_init and to the declared memory: an install above it is refused and the canister stays empty"
  (rules HEAP-4 HEAP-5 INST-3 TXN-4)
  (tags settings lifecycle))

(module $grows-in-init
  (memory 1)
  (func (export "canister_init")
    (drop (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(module $big
  (memory 3)
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

;; settings of an empty canister
(settings (wasm_memory_limit (* 2 page)))
(install $grows-in-init (arg i32 2))   (expect install-rejected wasm-memory-limit)
(query "size")                         (expect reject destination-invalid canister-empty)
(install $big)                         (expect install-rejected wasm-memory-limit)
(query "size")                         (expect reject destination-invalid canister-empty)
;; exactly at the limit
(install $grows-in-init (arg i32 1))
(query "size")                         (expect reply (i32 2))
