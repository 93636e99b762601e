(vector "a reinstall whose heap crosses the threshold makes the hook due at once"
  (rules LOW-1 LOW-3 INST-2)
  (tags low-memory lifecycle)
  (notes "LOW-3: the condition wasm_memory_limit < heap + threshold is"
         "evaluated after every message and management call, install_code"
         "included. The settings outlive the reinstall; its new module"
         "starts with 3 of the 4 pages the limit allows, so the remaining"
         "page is below the threshold of 2 and the hook is ready before any"
         "message has run on the new code."))

;; the hook counts its runs in stable memory (a reinstall empties it)
(module $small
  (memory 1)
  (func (export "canister_on_low_wasm_memory")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_query runs")
    (call $reply_i64 (call $ic0.stable64_size))))

(module $big
  (memory 3)
  (func (export "canister_on_low_wasm_memory")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_query runs")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $small)
;; 3 pages remain of 4: not below the threshold of 2, not due
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
;; 1 page remains after the reinstall: due
(reinstall $big)                   (expect reply)
(system-task on_low_wasm_memory)   (expect no-reply)
(query "runs")                     (expect reply (i64 1))
