(vector "an update after a heartbeat grew the heap past wasm_memory_limit"
  (rules EDGE-WMLIMIT HEAP-4 HEAP-5)
  (tags settings ambiguous)
  (notes "The limit is not enforced in heartbeats, so the heap may end above"
         "it. The formal text checks every update's resulting heap (so an"
         "update that grows nothing still fails); the replica fails only"
         "the memory.grow that crosses the limit. Under the reading that"
         "enforces the limit in heartbeats too, the heartbeat itself traps,"
         "the heap stays at one page and the update replies."))

(module $c
  (memory 1)
  (func (export "canister_heartbeat")
    (drop (memory.grow (i32.const 3))))
  (func (export "canister_update ping")
    (call $reply_i32 (memory.size))))

(install $c)
(settings (wasm_memory_limit (* 2 page)))
(system-task heartbeat)
(expect one-of
  (not-in-timers no-reply)
  (in-timers trap wasm-memory-limit))
(probe heap-size)
(expect one-of
  (not-in-timers reply (i64 4))
  (in-timers reply (i64 1)))
(update "ping")
(expect one-of
  (resulting-heap trap wasm-memory-limit)
  (growth-only reply (i32 4))
  (in-timers reply (i32 1)))
