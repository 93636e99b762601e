(vector "an uploaded hook status must agree with the hook's condition for the snapshot's heap; when it does, the load sets it"
  (rules SNAP-8)
  (requires snapshot-data low-memory-hook wasm-memory-limit system-tasks)
  (tags snapshots low-memory regression)
  (notes "dfinity/ic#5556 (EXC-1962, 2025-06): an uploaded snapshot whose"
         "on_low_wasm_memory_hook_status contradicts the real condition is"
         "refused at load; the Formal model states the same check. With"
         "wasm_memory_limit 3 pages and threshold 2 pages a heap of 2 pages"
         "meets the condition (3 < 2 + 2), one of 1 page does not."))

(module $c
  (memory 1)
  (func (export "canister_on_low_wasm_memory"))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $c)
(settings (wasm_memory_limit (* 3 65536)) (wasm_memory_threshold (* 2 65536)))
(upload-snapshot-metadata $lie (wasm_module_size $c) (wasm_memory_size 131072)
  (hook_status condition-not-satisfied))
(upload-snapshot-data $lie module $c)
(load-snapshot $lie)          (expect reject canister-error snapshot-hook-status)
(upload-snapshot-metadata $lie2 (wasm_module_size $c) (wasm_memory_size 65536)
  (hook_status ready))
(upload-snapshot-data $lie2 module $c)
(load-snapshot $lie2)         (expect reject canister-error snapshot-hook-status)
(query "size")                (expect reply (i32 1))
;; executed and the condition met: loaded, and the hook does not run again
(upload-snapshot-metadata $done (wasm_module_size $c) (wasm_memory_size 131072)
  (hook_status executed))
(upload-snapshot-data $done module $c)
(load-snapshot $done)
(query "size")                (expect reply (i32 2))
(system-task on_low_wasm_memory) (expect reject destination-invalid task-not-scheduled)
;; ready and the condition met: the hook is due
(upload-snapshot-metadata $ready (wasm_module_size $c) (wasm_memory_size 131072)
  (hook_status ready))
(upload-snapshot-data $ready module $c)
(load-snapshot $ready)
(system-task on_low_wasm_memory) (expect no-reply)
;; without a status the canister's stays (here: executed) and is re-evaluated
(upload-snapshot-metadata $none (wasm_module_size $c) (wasm_memory_size 131072))
(upload-snapshot-data $none module $c)
(load-snapshot $none)
(system-task on_low_wasm_memory) (expect reject destination-invalid task-not-scheduled)
