(vector "deleting or replacing a snapshot that has others before and after it keeps those: each still loads its own state"
  (rules SNAP-6 SNAP-1)
  (requires snapshots)
  (tags snapshots)
  (minimum (max_snapshots 3))
  (notes "delete_canister_snapshot and replace_snapshot remove only the"
         "snapshot they name (\"IC method delete_canister_snapshot\","
         "\"IC method take_canister_snapshot\"); the others keep their ids and"
         "their contents. The removed one sits between two others here, not"
         "first or last, where a list that closes the gap wrongly loses the"
         "one after it."))

(module $c
  (memory 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "canister_update set")
    (global.set $n (call $arg_i32 (i32.const 0)))
    (call $reply_empty))
  (func (export "canister_query get")
    (call $reply_i32 (global.get $n))))

(install $c)
(update "set" (arg (i32 1)))
(take-snapshot $first)
(update "set" (arg (i32 2)))
(take-snapshot $middle)
(update "set" (arg (i32 3)))
(take-snapshot $last)
(delete-snapshot $middle)          (expect reply (bytes ""))
(list-snapshots)                   (expect reply (i64 2))
(load-snapshot $middle)            (expect reject canister-error snapshot-not-found)
(load-snapshot $last)
(query "get")                      (expect reply (i32 3))
(load-snapshot $first)
(query "get")                      (expect reply (i32 1))
;; three again; replace the one in the middle
(update "set" (arg (i32 4)))
(take-snapshot $fourth)
(update "set" (arg (i32 5)))
(take-snapshot $fifth (replace $last))
(list-snapshots)                   (expect reply (i64 3))
(load-snapshot $last)              (expect reject canister-error snapshot-not-found)
(load-snapshot $fourth)
(query "get")                      (expect reply (i32 4))
(load-snapshot $fifth)
(query "get")                      (expect reply (i32 5))
(load-snapshot $first)
(query "get")                      (expect reply (i32 1))
