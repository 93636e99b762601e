(vector "a trapping update leaves heap, globals and stable memory as they were"
  (rules TXN-1 HEAP-9 HEAP-1)
  (tags transactions))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  ;; changes everything, then traps when the argument is 1
  (func (export "canister_update change")
    (i64.store (i32.const 1000) (i64.const 42))
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 1000) (i64.const 8))
    (if (i32.eq (call $arg_i32 (i32.const 0)) (i32.const 1))
      (then (unreachable)))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $append_i64 (i64.load (i32.const 1000)))
    (call $append_i64 (global.get $counter))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.msg_reply)))

(install $c)
(update "change" (arg i32 0))  (expect reply)
(query "state")                (expect reply (i64 42) (i64 1) (i64 1))
(update "change" (arg i32 1))  (expect trap unreachable)
(query "state")                (expect reply (i64 42) (i64 1) (i64 1))
