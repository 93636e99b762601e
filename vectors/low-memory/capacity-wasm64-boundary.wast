(vector "with no wasm_memory_limit a wasm64 canister's low-memory capacity is max_heap_wasm64: the hook is due exactly when heap + threshold passes it"
  (rules EDGE-LOWCAP LOW-3)
  (tags low-memory ambiguous boundary)
  (notes "The reference's reading (heap-maximum) takes the wasm64 heap"
         "maximum as the capacity; the condition is capacity < heap +"
         "threshold, strict. With 1 page used, a threshold of"
         "max_heap_wasm64 - 1 page leaves the hook unscheduled and one byte"
         "more makes it due. The replica's reading takes 4 GiB"
         "(wasm32-maximum) and the formal text 0: both make it due at once."))

(module $c
  (memory i64 1)
  (global $runs (mut i64) (i64.const 0))
  (func (export "canister_on_low_wasm_memory")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1))))
  (func (export "canister_query runs")
    (call $reply_i64 (global.get $runs))))

(install $c)
(settings (wasm_memory_threshold (- max_heap_wasm64 page)))
(system-task on_low_wasm_memory)
(expect one-of
  (heap-maximum reject destination-invalid task-not-scheduled)
  (wasm32-maximum no-reply)
  (formal-zero no-reply))
(settings (wasm_memory_threshold (+ (- max_heap_wasm64 page) 1)))
(system-task on_low_wasm_memory)
(expect one-of
  (heap-maximum no-reply)
  (wasm32-maximum reject destination-invalid task-not-scheduled)
  (formal-zero reject destination-invalid task-not-scheduled))
(query "runs")       (expect reply (i64 1))
