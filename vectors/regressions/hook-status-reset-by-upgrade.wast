(vector "regression dfinity/ic#3760: an upgrade that shrinks the heap below the condition resets the low-memory hook; regrowing makes it due again, once"
  (rules LOW-3 LOW-1 UPG-1)
  (tags regression low-memory lifecycle)
  (notes "dfinity/ic#3760 (EXC-1880, 2025-02): the hook's status must be"
         "re-evaluated after an upgrade. A runtime that keeps the status"
         "'executed' across the upgrade never runs the hook again (step 8"
         "fails); one that keeps it 'ready' runs it right after the upgrade"
         "although the condition no longer holds (step 5 fails)."))

(module $c
  (memory 1)
  ;; the hook counts its runs in stable memory, which upgrades keep
  (func (export "canister_on_low_wasm_memory")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query runs")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(update "grow" (arg i32 2))        (expect reply (i32 1))
(system-task on_low_wasm_memory)   (expect no-reply)
;; a fresh heap of 1 page: 3 of 4 remain, the condition is gone
(upgrade $c)                       (expect reply)
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
(query "runs")                     (expect reply (i64 1))
(update "grow" (arg i32 2))        (expect reply (i32 1))
(system-task on_low_wasm_memory)   (expect no-reply)
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
(query "runs")                     (expect reply (i64 2))
