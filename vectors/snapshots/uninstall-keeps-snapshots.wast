(vector "uninstall keeps snapshots: loading one brings heap, stable memory and globals back to the empty canister"
  (rules EDGE-UNINSTALL-SNAP SNAP-1 UNI-1)
  (requires snapshots)
  (tags snapshots lifecycle)
  (notes "The Formal model's uninstall_code leaves S.snapshots alone"
         "(notes §20.27); only running out of cycles deletes them."))

(module $c
  (memory 1)
  (global $n (mut i32) (i32.const 3))
  (func (export "canister_init")
    (i32.store (i32.const 100) (i32.const 0x6b6f6f6c))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (global.set $n (i32.const 4)))
  (func (export "canister_query state")
    (call $ic0.msg_reply_data_append (i32.const 100) (i32.const 4))
    (call $append_i32 (global.get $n))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
(take-snapshot $s)
(uninstall)
(query "state")                 (expect reject destination-invalid canister-empty)
(list-snapshots)                (expect reply (i64 1))
(load-snapshot $s)
;; install 1, uninstall 2, load 3
(query "state")                 (expect reply (text "look") (i32 4) (i64 1) (i64 3))
;; reinstall keeps them too
(reinstall $c)
(list-snapshots)                (expect reply (i64 1))
