(vector "with no wasm_memory_limit, a threshold below the free heap does not make the hook due"
  (rules EDGE-LOWCAP LOW-3 LOW-2)
  (tags low-memory ambiguous)
  (notes "The formal model takes capacity = wasm_memory_limit = 0 when no"
         "limit is set, so any threshold makes the hook due for a non-empty"
         "heap; the prose implies remaining memory up to the heap maximum."))

(module $c
  (memory 1)
  (global $runs (mut i64) (i64.const 0))
  (func (export "canister_on_low_wasm_memory")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1)))))

(install $c)
;; 1 page used of at least max_heap_wasm32: far more than 1 page remains
(settings (wasm_memory_threshold page))
(system-task on_low_wasm_memory)
(expect one-of
  (heap-maximum reject destination-invalid task-not-scheduled)
  (formal-zero no-reply))
