(vector "a response callback that grows the heap past the threshold makes the hook due, as any message does"
  (rules LOW-3 LOW-4 CALL-CALLBACK-1)
  (tags low-memory calls)
  (notes "LOW-3: the condition is evaluated after every message, and a"
         "response callback is one. Here only the reply callback grows the"
         "heap, so only that evaluation can make the hook ready; the task"
         "step right after the response finds it scheduled."))

(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $on_reply)
  (global $runs (mut i64) (i64.const 0))
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_on_low_wasm_memory")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1))))
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform)))
  (func $on_reply (param $env i32)
    (call $reply_i32 (memory.grow (i32.const 2))))
  (func (export "canister_query runs")
    (call $reply_i64 (global.get $runs))))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(update "call")                    (expect pending)
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
(respond 1 (reply))
(expect reply (i32 1))
(system-task on_low_wasm_memory)   (expect no-reply)
(query "runs")                     (expect reply (i64 1))
