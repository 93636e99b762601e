(vector "the hook is due again only after the condition cleared: raising the limit re-arms it, lowering it triggers it"
  (rules LOW-3 LOW-4 HEAP-4)
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

;; the limit is set before the install, so the capacity is the limit under
;; every reading of EDGE-LOWCAP
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(install $c)
;; heap 3 pages; limit 4, threshold 2: 1 page remains, due
(update "grow" (arg i32 2))        (expect reply (i32 1))
(system-task on_low_wasm_memory)   (expect no-reply)
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
;; a higher limit clears the condition ...
(settings (wasm_memory_limit (* 8 page)))
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
;; ... and lowering it again crosses the threshold once more
(settings (wasm_memory_limit (* 4 page)))
(system-task on_low_wasm_memory)   (expect no-reply)
(query "runs")                     (expect reply (i64 2))
