(vector "ic0.trap always traps as an explicit trap, even when its message range is out of bounds"
  (rules MSG-TRAP-1 EDGE-DBG-OOB TXN-1)
  (tags messages transactions))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update trap")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (i64.store (i32.const 300) (i64.const 99))
    (call $ic0.trap (call $arg_i32 (i32.const 0)) (call $arg_i32 (i32.const 4))))
  (func (export "canister_query state")
    (call $append_i64 (global.get $counter))
    (call $append_i64 (i64.load (i32.const 300)))
    (call $ic0.msg_reply)))

(install $c)
;; empty message, a message past the heap, a range that wraps around
(update "trap" (arg (i32 0) (i32 0)))          (expect trap explicit-trap)
(update "trap" (arg (i32 65532) (i32 5)))      (expect trap explicit-trap)
(update "trap" (arg (i32 -1) (i32 2)))         (expect trap explicit-trap)
(query "state")                                (expect reply (i64 0) (i64 0))
