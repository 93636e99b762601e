(vector "a response callback grows the heap past wasm_memory_limit; the next heartbeat and update see a heap already over it"
  (rules EDGE-WMLIMIT HEAP-4 HEAP-5 CALL-CALLBACK-1)
  (tags settings calls ambiguous)
  (notes "The formal model gives callbacks no limit (Wasm_memory_limit = 0"
         "for responses; docs/memory-model.md, \"Inter-canister calls\"),"
         "so the reply callback leaves a heap of 4 pages over a limit of 2."
         "A heartbeat that grows nothing then completes: the prose exempts"
         "timers, and where the limit applies in timers, growth-only judges"
         "what the execution grew (nothing), not the heap it started with."
         "The next update fails under every reading but growth-only: on its"
         "result (formal text) or before it runs (the replica, at-start)."))

(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $on_response)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform))
    (call $reply_empty))
  (func $on_response (param $env i32)
    (drop (memory.grow (i32.const 3))))
  (func (export "canister_heartbeat"))
  (func (export "canister_update size")
    (call $reply_i32 (memory.size)))
  (func (export "canister_query pages")
    (call $reply_i32 (memory.size))))

(install $c)
(settings (wasm_memory_limit (* 2 page)))
(update "call")                    (expect reply)
(respond 1 (reply))                (expect returned)
(query "pages")                    (expect reply (i32 4))
(system-task heartbeat)
(expect one-of
  (not-in-timers no-reply)
  (growth-only no-reply))
(update "size")
(expect one-of
  (resulting-heap trap wasm-memory-limit)
  (at-start trap wasm-memory-limit)
  (growth-only reply (i32 4)))
