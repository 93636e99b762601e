(vector "a canister without memory has a heap of 0 bytes: any wasm_memory_limit fits and a threshold up to the capacity leaves the hook unscheduled"
  (rules EDGE-NOMEM HEAP-6 LOW-3)
  (tags heap no-memory)
  (notes "Without a memory there is no heap to count. A limit of 1 byte is"
         "accepted (a heap of one page would be refused, HEAP-6); with a"
         "limit of 1 page, the hook's condition is 1 page < 0 + threshold,"
         "false for a threshold of exactly 1 page and true one byte above."))

(module $c
  (func (export "canister_on_low_wasm_memory"))
  (func (export "canister_query hello")
    (call $ic0.msg_reply)))

(install $c)
(settings (wasm_memory_limit 1))
(query "hello")
(settings (wasm_memory_limit page) (wasm_memory_threshold page))
(system-task on_low_wasm_memory)
(expect reject destination-invalid task-not-scheduled)
(settings (wasm_memory_threshold (+ page 1)))
(system-task on_low_wasm_memory)
(expect no-reply)
