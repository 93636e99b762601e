(vector "since 0.62.0 a response callback may run while the low-memory hook is ready; the next update still finds the hook run first"
  (rules LOW-7 LOW-4)
  (tags calls low-memory))

(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (global $runs (mut i64) (i64.const 0))
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_on_low_wasm_memory")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1))))
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform)))
  (func $cb (param i32)
    (call $reply_i64 (global.get $runs)))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query runs")
    (call $reply_i64 (global.get $runs))))

(install $c)
(settings (wasm_memory_limit (* 4 page)) (wasm_memory_threshold (* 2 page)))
(update "call")                    (expect pending)
(update "grow" (arg i32 2))        (expect reply (i32 1))
;; the hook is ready: the callback may run before it
(respond 1 (reply (bytes "")))
(expect one-of
  (since-0.62 reply (i64 0))
  (before-0.62 reply (i64 1)))
(update "grow" (arg i32 0))        (expect reply (i32 3))
(query "runs")                     (expect reply (i64 1))
