(vector "pre_upgrade may grow the heap past wasm_memory_limit: a replacing upgrade discards that heap and succeeds"
  (rules HEAP-4 EDGE-WMLIMIT UPG-1)
  (tags settings lifecycle))

(module $v1
  (memory 1)
  (func (export "canister_pre_upgrade")
    (drop (memory.grow (i32.const 4)))))

(module $v2
  (memory 1)
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $v1)
(settings (wasm_memory_limit (* 2 page)))
(upgrade $v2)
(query "size")   (expect reply (i32 1))
