(vector "an upgrade keeps stable memory, starts a fresh heap and passes the argument to post_upgrade"
  (rules UPG-1 SM-6 HEAP-10 MSG-ARG-1 MOD-START-1)
  (tags lifecycle))

(module $v1
  (memory 1)
  (data (i32.const 100) "version 1")
  (func (export "canister_update save")
    ;; stable bytes [0, 9) := "version 1"; heap 300 := 7
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 100) (i64.const 9))
    (i64.store (i32.const 300) (i64.const 7))
    (call $reply_empty)))

(module $v2
  (memory 1)
  (data (i32.const 100) "version 2")
  (global $upgrade-arg (mut i64) (i64.const 0))
  (global $started (mut i64) (i64.const 0))
  (func $start (global.set $started (i64.const 1)))
  (start $start)
  (func (export "canister_post_upgrade")
    (global.set $upgrade-arg (call $arg_i64 (i32.const 0))))
  ;; what v1 saved in stable memory, v2's data segment, the old heap word,
  ;; the upgrade argument, whether (start) ran
  (func (export "canister_query report")
    (call $ic0.stable64_read (i64.const 200) (i64.const 0) (i64.const 9))
    (call $ic0.msg_reply_data_append (i32.const 200) (i32.const 9))
    (call $ic0.msg_reply_data_append (i32.const 100) (i32.const 9))
    (call $append_i64 (i64.load (i32.const 300)))
    (call $append_i64 (global.get $upgrade-arg))
    (call $append_i64 (global.get $started))
    (call $ic0.msg_reply)))

(install $v1)
(update "save")              (expect reply (bytes ""))
(upgrade $v2 (arg i64 1234))
(query "report")
(expect reply (text "version 1") (text "version 2") (i64 0) (i64 1234) (i64 1))
