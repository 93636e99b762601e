(vector "canister_on_low_wasm_memory (context T) may grow and write stable memory, and its changes are kept"
  (rules SM-7 TXN-11 CTX-1)
  (tags system-tasks)
  (notes "The availability vectors check context T through the heartbeat"
         "and the global timer; this is the third system task."))

(module $c
  (memory 1)
  (data (i32.const 100) "low memory!")
  (func (export "canister_on_low_wasm_memory")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable_write (i32.const 0) (i32.const 100) (i32.const 11)))
  (func (export "canister_update grow-heap")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query stable11")
    (call $ic0.stable64_read (i64.const 200) (i64.const 0) (i64.const 11))
    (call $reply_data (i32.const 200) (i32.const 11))))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
;; 3 of 4 pages used: less than the threshold remains
(update "grow-heap" (arg i32 2))  (expect reply (i32 1))
(system-task on_low_wasm_memory)
(query "stable11")                (expect reply (text "low memory!"))
