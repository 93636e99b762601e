(vector "install runs (start) and then canister_init with the argument; both leave their effects"
  (rules INST-1 MOD-START-1 MSG-ARG-1 HEAP-10)
  (tags lifecycle))

(module $c
  (memory 1)
  (data (i32.const 100) "segment")
  (global $order (mut i64) (i64.const 0))
  (global $init-arg (mut i64) (i64.const 0))
  ;; order := order * 10 + step: start is step 1, init step 2
  (func $step (param $n i64)
    (global.set $order (i64.add (i64.mul (global.get $order) (i64.const 10)) (local.get $n))))
  (func $start
    (call $step (i64.const 1))
    (i32.store (i32.const 200) (i32.const 11)))
  (start $start)
  (func (export "canister_init")
    (call $step (i64.const 2))
    (global.set $init-arg (call $arg_i64 (i32.const 0)))
    ;; init sees what start wrote, and the data segment
    (i32.store (i32.const 204) (i32.add (i32.load (i32.const 200)) (i32.const 1))))
  (func (export "canister_query report")
    (call $append_i64 (global.get $order))
    (call $append_i64 (global.get $init-arg))
    (call $append_i32 (i32.load (i32.const 200)))
    (call $append_i32 (i32.load (i32.const 204)))
    (call $ic0.msg_reply_data_append (i32.const 100) (i32.const 7))
    (call $ic0.msg_reply)))

(install $c (arg i64 555))
(query "report")   (expect reply (i64 12) (i64 555) (i32 11) (i32 12) (text "segment"))
