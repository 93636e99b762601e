(vector "a due hook runs before the next replicated message, not before a non-replicated query"
  (rules LOW-4 CTX-2)
  (tags low-memory))

(module $c
  (memory 1)
  (global $runs (mut i64) (i64.const 0))
  (func (export "canister_on_low_wasm_memory")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1))))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query runs")
    (call $reply_i64 (global.get $runs))))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(update "grow" (arg i32 2))        (expect reply (i32 1))
;; the hook is due; a query does not run it
(query "runs")                     (expect reply (i64 0))
;; the next update finds it already run
(update "grow" (arg i32 0))        (expect reply (i32 3))
(query "runs")                     (expect reply (i64 1))
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
