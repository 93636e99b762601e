(vector "the low-memory hook is scheduled when remaining memory drops below the threshold, and runs once"
  (rules LOW-1 LOW-3 LOW-4)
  (tags low-memory))

(module $c
  (memory 1)
  (global $hook-runs (mut i64) (i64.const 0))
  (func (export "canister_on_low_wasm_memory")
    (global.set $hook-runs (i64.add (global.get $hook-runs) (i64.const 1))))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query runs")
    (call $reply_i64 (global.get $hook-runs))))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
;; 1 page used, 3 remaining: not below the threshold
(system-task on_low_wasm_memory)  (expect reject destination-invalid task-not-scheduled)
;; 3 pages used, 1 remaining: below
(update "grow" (arg i32 2))       (expect reply (i32 1))
(system-task on_low_wasm_memory)  (expect no-reply)
(query "runs")                    (expect reply (i64 1))
;; still below, but the hook ran for this crossing
(system-task on_low_wasm_memory)  (expect reject destination-invalid task-not-scheduled)
