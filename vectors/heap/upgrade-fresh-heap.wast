(vector "an upgrade without keep gives the new module a fresh heap and fresh globals"
  (rules HEAP-10 EOP-5)
  (tags lifecycle))

(module $c
  (memory 1)
  (data (i32.const 100) "seed")
  (global $g (mut i64) (i64.const 5))
  (func (export "canister_update change")
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 100) (i32.const 0x21212121))
    (global.set $g (i64.const 99))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $append_i32 (memory.size))
    (call $ic0.msg_reply_data_append (i32.const 100) (i32.const 4))
    (call $append_i64 (global.get $g))
    (call $ic0.msg_reply)))

(install $c)
(update "change")
(query "state")  (expect reply (i32 3) (text "!!!!") (i64 99))
(upgrade $c)
(query "state")  (expect reply (i32 1) (text "seed") (i64 5))
