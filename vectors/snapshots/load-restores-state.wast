(vector "loading a snapshot restores heap, globals, stable memory and certified data; the version grows, the timer stays"
  (rules SNAP-1 SNAP-5)
  (requires system-tasks)
  (tags snapshots)
  (notes "take_canister_snapshot copies the wasm state, certified data and"
         "module; load_canister_snapshot puts them back and increments the"
         "canister version (Formal model, \"Load canister snapshot\"). A"
         "taken snapshot does not carry the timer into the load: the"
         "canister keeps its current one."))

(module $c
  (memory 1)
  (data (i32.const 100) "before")
  (global $counter (mut i64) (i64.const 7))
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 10) (i64.const 100) (i64.const 6))
    (call $ic0.certified_data_set (i32.const 100) (i32.const 6)))
  (func (export "canister_global_timer"))
  (func (export "canister_update change")
    (i64.store (i32.const 100) (i64.const 0x2121212121212121))
    (drop (memory.grow (i32.const 1)))
    (global.set $counter (i64.const 1000))
    (call $ic0.stable64_write (i64.const 10) (i64.const 100) (i64.const 6))
    (drop (call $ic0.stable64_grow (i64.const 2)))
    (drop (call $ic0.global_timer_set (i64.const 1)))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $ic0.msg_reply_data_append (i32.const 100) (i32.const 6))
    (call $ic0.stable64_read (i64.const 200) (i64.const 10) (i64.const 6))
    (call $ic0.msg_reply_data_append (i32.const 200) (i32.const 6))
    (call $append_i64 (global.get $counter))
    (call $append_i32 (memory.size))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
(query "state")         (expect reply (text "before") (text "before") (i64 7) (i32 1) (i64 1) (i64 1))
(take-snapshot $s)
(list-snapshots)        (expect reply (i64 1))
;; taking changes nothing, not even the version
(query "state")         (expect reply (text "before") (text "before") (i64 7) (i32 1) (i64 1) (i64 1))
(update "change")
(query "state")         (expect reply (text "!!!!!!") (text "!!!!!!") (i64 1000) (i32 2) (i64 3) (i64 2))
(load-snapshot $s)
(query "state")         (expect reply (text "before") (text "before") (i64 7) (i32 1) (i64 1) (i64 3))
;; the timer set after the take is still there
(system-task global_timer)
;; the snapshot stays and can be loaded again
(list-snapshots)        (expect reply (i64 1))
