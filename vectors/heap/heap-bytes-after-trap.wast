(vector "the heap holds a committed update's writes and none of a trapped update's"
  (rules HEAP-9 TXN-1)
  (tags transactions)
  (notes "Read with the heap-bytes probe, so no query of the canister is"
         "involved. The trapped updates write with a store instruction and"
         "with a System API copy (msg_arg_data_copy) before they trap."))

(module $c
  (memory 1)
  (func (export "canister_update store")
    (i64.store (i32.const 1000) (call $arg_i64 (i32.const 0)))
    (call $reply_empty))
  (func (export "canister_update store-then-trap")
    (i64.store (i32.const 1000) (call $arg_i64 (i32.const 0)))
    (unreachable))
  (func (export "canister_update copy-then-trap")
    (call $ic0.msg_arg_data_copy (i32.const 1000) (i32.const 0) (i32.const 8))
    (unreachable)))

(install $c)
(update "store" (arg i64 0x1122_3344_5566_7788))
(probe heap-bytes 1000 8)                          (expect reply (i64 0x1122_3344_5566_7788))
(update "store-then-trap" (arg i64 0x0101_0101_0101_0101))
(expect trap unreachable)
(probe heap-bytes 1000 8)                          (expect reply (i64 0x1122_3344_5566_7788))
(update "copy-then-trap" (arg i64 0x0202_0202_0202_0202))
(expect trap unreachable)
(probe heap-bytes 1000 8)                          (expect reply (i64 0x1122_3344_5566_7788))
(update "store" (arg i64 0x0303_0303_0303_0303))
(probe heap-bytes 996 12)
(expect reply (bytes "\00\00\00\00") (i64 0x0303_0303_0303_0303))
