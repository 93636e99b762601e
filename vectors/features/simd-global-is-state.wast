(vector "a mutable v128 global is canister state: kept between messages, restored when a message traps"
  (rules MOD-TYPE-1 MOD-FEAT-1 TXN-1)
  (requires simd)
  (tags features simd transactions))

(module $c
  (memory 1)
  (global $g (mut v128) (v128.const i64x2 0 0))
  (func (export "canister_update set")
    (global.set $g (v128.const i64x2 7 9))
    (call $reply_empty))
  (func (export "canister_update set_then_trap")
    (global.set $g (v128.const i64x2 1 1))
    (unreachable))
  (func (export "canister_query get")
    (v128.store (i32.const 64) (global.get $g))
    (call $reply_data (i32.const 64) (i32.const 16))))

(install $c)
(query "get")            (expect reply (i64 0) (i64 0))
(update "set")
(query "get")            (expect reply (i64 7) (i64 9))
(update "set_then_trap") (expect trap unreachable)
(query "get")            (expect reply (i64 7) (i64 9))
