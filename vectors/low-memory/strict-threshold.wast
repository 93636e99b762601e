(vector "the hook is due only when the remaining memory is strictly below the threshold, to the byte"
  (rules LOW-1 LOW-3)
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

;; the limit is set before the install, so the capacity is the limit under
;; every reading of EDGE-LOWCAP
(settings (wasm_memory_limit (* 4 page)))
(install $c)
;; limit 4 pages, heap 2: 2 pages remain
(update "grow" (arg i32 1))        (expect reply (i32 1))
(settings (wasm_memory_threshold (* 2 page)))
;; remaining == threshold: not due
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
;; one byte more of threshold: remaining < threshold
(settings (wasm_memory_threshold (+ (* 2 page) 1)))
(system-task on_low_wasm_memory)   (expect no-reply)
(query "runs")                     (expect reply (i64 1))
