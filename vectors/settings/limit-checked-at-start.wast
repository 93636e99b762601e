(vector "an update whose heap is already over wasm_memory_limit: it runs and is judged by its result, or (the replica) fails before it runs"
  (rules EDGE-WMLIMIT HEAP-5)
  (tags settings ambiguous)
  (notes "A heartbeat may grow the heap past the limit (the limit is not"
         "enforced in system tasks). The text judges an update by its"
         "resulting heap, so the update runs and its own trap is what the"
         "caller sees; the replica's UpdateHelper (dfinity/ic"
         "rs/execution_environment/src/execution/update.rs) fails the update"
         "at its start with WasmMemoryLimitExceeded, before any code runs."
         "System tasks are exempt from that start check. Under the reading"
         "that enforces the limit in heartbeats the heap never gets there."))

(module $c
  (memory 1)
  (func (export "canister_heartbeat")
    (drop (memory.grow (i32.const 3))))
  (func (export "canister_update fail")
    unreachable))

(install $c)
(settings (wasm_memory_limit (* 2 page)))
(system-task heartbeat)
(expect one-of
  (not-in-timers no-reply)
  (in-timers trap wasm-memory-limit))
(update "fail")
(expect one-of
  (runs-first trap unreachable)
  (at-start trap wasm-memory-limit))
;; the start check spares system tasks: the heartbeat runs again
(system-task heartbeat)
(expect one-of
  (not-in-timers no-reply)
  (in-timers trap wasm-memory-limit))
