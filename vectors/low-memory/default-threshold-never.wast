(vector "with the default threshold 0 the hook is never due, even with the heap exactly at wasm_memory_limit"
  (rules LOW-2 LOW-1)
  (tags low-memory boundary))

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
(settings (wasm_memory_limit (* 2 page)))
(update "grow" (arg i32 1))        (expect reply (i32 1))
;; 0 bytes remain, and 0 < 0 is false
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
(update "grow" (arg i32 0))        (expect reply (i32 2))
(query "runs")                     (expect reply (i64 0))
