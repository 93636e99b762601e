(vector "a low-memory hook that is due but has not run yet is no longer due after an upgrade that shrinks the heap below the condition"
  (rules LOW-3 UPG-1)
  (tags low-memory lifecycle)
  (notes "dfinity/ic#3760: the hook's status is evaluated again after an"
         "upgrade. Settings make it due (3 pages + 2 > 4); the upgrade"
         "replaces the heap by the new module's 1 page before the hook"
         "runs (1 + 2 <= 4), so it is not scheduled; growing to 3 pages"
         "makes it due again, and it runs once."))

(module $big
  (memory 3)
  (func (export "canister_on_low_wasm_memory")))

(module $small
  (memory 1)
  (func (export "canister_on_low_wasm_memory")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query runs")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $big)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(upgrade $small)
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
(query "runs")                     (expect reply (i64 0))
(update "grow" (arg i32 2))        (expect reply (i32 1))
(system-task on_low_wasm_memory)
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
(query "runs")                     (expect reply (i64 1))
