(vector "the low-memory hook runs as a system task: the caller is the management canister and it commits"
  (rules LOW-1 MSG-CALLER-1 TXN-11)
  (tags low-memory))

(module $c
  (memory 1)
  (global $caller-size (mut i32) (i32.const -1))
  (func (export "canister_on_low_wasm_memory")
    (global.set $caller-size (call $ic0.msg_caller_size)))
  (func (export "canister_query caller-size")
    (call $reply_i32 (global.get $caller-size))))

(install $c)
(settings (wasm_memory_limit (* 2 page)) (wasm_memory_threshold (* 2 page)))
(system-task on_low_wasm_memory)
(query "caller-size")   (expect reply (i32 0))
