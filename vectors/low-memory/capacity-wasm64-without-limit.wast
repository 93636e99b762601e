(vector "with no wasm_memory_limit, a wasm64 canister's hook capacity: its own heap maximum, or (the replica) 4 GiB"
  (rules EDGE-LOWCAP LOW-3 W64-6)
  (tags low-memory wasm64 ambiguous)
  (notes "The prose measures the remaining memory against the heap maximum,"
         "which is max_heap_wasm64 for a wasm64 canister. The replica"
         "(is_low_wasm_memory_hook_condition_satisfied) takes an unset limit"
         "as 4 GiB, the wasm32 maximum, whatever the address width. The"
         "threshold leaves one page more than the wasm32 maximum allows and"
         "far less than the wasm64 maximum. The formal model takes 0."))

(module $c
  (memory i64 2)
  (global $runs (mut i64) (i64.const 0))
  (func (export "canister_on_low_wasm_memory")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1))))
  (func (export "canister_query runs")
    (call $reply_i64 (global.get $runs))))

(install $c)
;; 2 pages + (max_heap_wasm32 - 1 page) exceeds max_heap_wasm32 by a page
(settings (wasm_memory_threshold (- max_heap_wasm32 page)))
(system-task on_low_wasm_memory)
(expect one-of
  (heap-maximum reject destination-invalid task-not-scheduled)
  (wasm32-maximum no-reply)
  (formal-zero no-reply))
