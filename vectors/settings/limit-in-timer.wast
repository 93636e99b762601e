(vector "whether wasm_memory_limit applies in the global timer"
  (rules EDGE-WMLIMIT HEAP-4 TXN-11)
  (requires system-tasks)
  (tags settings ambiguous)
  (notes "The prose ignores the limit for global timers and heartbeats, and"
         "warns that this may change; the replica-to-be enforces it."))

(module $c
  (memory 1)
  (func (export "canister_global_timer")
    (drop (memory.grow (i32.const 2))))
  (func (export "canister_update arm")
    (drop (call $ic0.global_timer_set (i64.const 1)))
    (call $reply_empty)))

(install $c)
(settings (wasm_memory_limit (* 2 page)))
(update "arm")
(system-task global_timer)
(expect one-of
  (not-in-timers no-reply)
  (in-timers trap wasm-memory-limit))
(probe heap-size)
(expect one-of
  (not-in-timers reply (i64 3))
  (in-timers reply (i64 1)))
