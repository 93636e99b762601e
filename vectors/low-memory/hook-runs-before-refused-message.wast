(vector "a due hook runs before the next replicated message even when that message is then refused"
  (rules LOW-4)
  (tags low-memory)
  (notes "The hook is a task of its own: a message to a method the canister"
         "lacks, or a system task it does not export, is refused after the"
         "due hook has run, and the hook's changes stay. Found by"
         "make fuzz-canister, whose check that a refused message changes"
         "nothing had missed the hook."))

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
(query "runs")                     (expect reply (i64 0))
;; no heartbeat is exported: refused, but the due hook ran first
(system-task heartbeat)            (expect reject destination-invalid method-not-found)
(query "runs")                     (expect reply (i64 1))
;; crossing again (the threshold off, then on) and an update to a missing method
(settings (wasm_memory_threshold 0))
(settings (wasm_memory_threshold (* 2 page)))
(update "missing")                 (expect reject destination-invalid method-not-found)
(query "runs")                     (expect reply (i64 2))
