(vector "take_canister_snapshot with uninstall_code (0.54.0): the snapshot is taken, then the code is uninstalled; the snapshot loads back"
  (rules SNAP-10 SNAP-4 EDGE-UNINSTALL-SNAP)
  (requires snapshot-uninstall logs)
  (history snapshot-uninstall)
  (tags snapshots lifecycle history)
  (notes "Before 0.54.0 the option does not exist: the request is refused"
         "and nothing happens."))

(module $c
  (memory 1)
  (global $n (mut i32) (i32.const 3))
  (func (export "canister_update bump")
    (i32.store (i32.const 100) (i32.const 0x73676f6c))
    (call $ic0.debug_print (i32.const 100) (i32.const 4))
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (call $ic0.certified_data_set (i32.const 100) (i32.const 4))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $append_i32 (global.get $n))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
(update "bump")
(canister-logs count)            (expect reply (i64 1))
(take-snapshot $s (uninstall))
(expect one-of
  (before-0.54.0 reject canister-error unsupported)
  (since-0.54.0 reply))
(query "state")
(expect one-of
  (before-0.54.0 reply (i32 4) (i64 2))
  (since-0.54.0 reject destination-invalid canister-empty))
;; uninstall purges the log
(canister-logs count)
(expect one-of
  (before-0.54.0 reply (i64 1))
  (since-0.54.0 reply (i64 0)))
(list-snapshots)
(expect one-of
  (before-0.54.0 reply (i64 0))
  (since-0.54.0 reply (i64 1)))
(load-snapshot $s)
(expect one-of
  (before-0.54.0 reject canister-error snapshot-not-found)
  (since-0.54.0 reply))
;; install 1, bump 2, uninstall 3, load 4
(query "state")
(expect one-of
  (before-0.54.0 reply (i32 4) (i64 2))
  (since-0.54.0 reply (i32 4) (i64 4)))
