(vector "stable memory keeps its size and bytes across an upgrade, including what pre_upgrade wrote"
  (rules SM-1 SM-6 UPG-2)
  (tags lifecycle))

(module $v1
  (memory 1)
  (data (i32.const 100) "from update")
  (data (i32.const 200) "from pre_upgrade")
  (func (export "canister_update save")
    (drop (call $ic0.stable64_grow (i64.const 3)))
    (call $ic0.stable64_write (i64.const 65530) (i64.const 100) (i64.const 11))
    (call $reply_empty))
  ;; the last moment of the old code: one more page and one more write
  (func (export "canister_pre_upgrade")
    (drop (call $ic0.stable_grow (i32.const 1)))
    (call $ic0.stable_write (i32.const 196600) (i32.const 200) (i32.const 16))))

(module $v2
  (memory 1)
  (func (export "canister_query report")
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.stable64_read (i64.const 300) (i64.const 65530) (i64.const 11))
    (call $ic0.msg_reply_data_append (i32.const 300) (i32.const 11))
    (call $ic0.stable_read (i32.const 400) (i32.const 196600) (i32.const 16))
    (call $ic0.msg_reply_data_append (i32.const 400) (i32.const 16))
    (call $ic0.msg_reply)))

(install $v1)
(update "save")
(upgrade $v2)
(query "report")
(expect reply (i64 4) (text "from update") (text "from pre_upgrade"))
