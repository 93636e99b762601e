(vector "the largest threshold (2^48 since 0.64.0, 2^64 - 1 before) makes the hook due at once: heap + threshold does not wrap around"
  (rules LOW-1 LOW-3 LIM-SET-1 EDGE-OVF)
  (tags low-memory boundary))

(module $c
  (memory 1)
  (global $runs (mut i64) (i64.const 0))
  (func (export "canister_on_low_wasm_memory")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1))))
  (func (export "canister_query runs")
    (call $reply_i64 (global.get $runs))))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold max_wasm_memory_threshold))
(system-task on_low_wasm_memory)   (expect no-reply)
(query "runs")                     (expect reply (i64 1))
