(vector "a trapping hook loses its changes but still counts as run: it is not due again for the same crossing"
  (rules LOW-4 TXN-11 EDGE-TIMER-TRAP TXN-1)
  (tags low-memory transactions))

(module $c
  (memory 1)
  (global $runs (mut i64) (i64.const 0))
  (func (export "canister_on_low_wasm_memory")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1)))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (unreachable))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query state")
    (call $append_i64 (global.get $runs))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.msg_reply)))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(update "grow" (arg i32 2))        (expect reply (i32 1))
(system-task on_low_wasm_memory)   (expect trap unreachable)
(query "state")                    (expect reply (i64 0) (i64 0))
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
