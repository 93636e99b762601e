(vector "an upgrade that keeps the heap keeps the hook's condition: a hook that ran is not due again"
  (rules LOW-3 LOW-4 EOP-1)
  (tags low-memory lifecycle))

(module $c
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_on_low_wasm_memory")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query runs")
    (call $reply_i64 (call $ic0.stable64_size))))

(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(install $c)
(update "grow" (arg i32 2))        (expect reply (i32 1))
(system-task on_low_wasm_memory)
;; the kept heap is still 3 pages: the condition holds, nothing new is due
(upgrade $c (wasm_memory_persistence keep))
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
(query "runs")                     (expect reply (i64 1))
