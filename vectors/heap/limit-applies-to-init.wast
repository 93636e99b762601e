(vector "wasm_memory_limit applies to install: a declared memory or canister_init growth above it refuses the install"
  (rules HEAP-4 HEAP-5 EDGE-WMLIMIT)
  (tags settings lifecycle))

(module $declared_4
  (memory 4))

(module $init_grows
  (memory 1)
  (func (export "canister_init")
    (drop (memory.grow (i32.const 3)))))

(module $fits
  (memory 1)
  (func (export "canister_init")
    (drop (memory.grow (i32.const 2))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

;; the limit is a setting of the (still empty) canister
(settings (wasm_memory_limit (* 3 page)))
(install $declared_4)  (expect install-rejected wasm-memory-limit)
(install $init_grows)  (expect install-rejected wasm-memory-limit)
(install $fits)
(query "size")         (expect reply (i32 3))
