(vector "a reinstall whose (start) traps leaves the old code, heap, globals and stable memory"
  (rules TXN-4 INST-2 MOD-START-1)
  (tags lifecycle transactions))

(module $old
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update set")
    (i64.store (i32.const 1000) (i64.const 11))
    (global.set $counter (i64.const 22))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 1000) (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $ic0.stable64_read (i64.const 2000) (i64.const 0) (i64.const 8))
    (call $append_i64 (i64.load (i32.const 1000)))
    (call $append_i64 (global.get $counter))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (i64.load (i32.const 2000)))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(module $new
  (memory 1)
  (func $start (unreachable))
  (start $start)
  (func (export "canister_query state")
    (call $reply_i64 (i64.const -1))))

(install $old)
(update "set")
(reinstall $new)   (expect install-rejected unreachable)
(query "state")    (expect reply (i64 11) (i64 22) (i64 1) (i64 11) (i64 2))
