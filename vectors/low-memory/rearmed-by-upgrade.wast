(vector "an upgrade that replaces the heap clears the condition; growing again makes the hook due again"
  (rules LOW-3 LOW-4 UPG-1)
  (tags low-memory lifecycle))

(module $c
  (memory 1)
  (func (export "canister_on_low_wasm_memory")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query runs")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(update "grow" (arg i32 2))        (expect reply (i32 1))
(system-task on_low_wasm_memory)
;; heap back to 1 page: 3 remain, not due
(upgrade $c)
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
(update "grow" (arg i32 2))        (expect reply (i32 1))
(system-task on_low_wasm_memory)
;; the hook counts its runs in stable memory, which the upgrade kept
(query "runs")                     (expect reply (i64 2))
