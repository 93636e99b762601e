(vector "a snapshot of one canister loaded onto another: heap, globals, stable memory, certified data and module become the snapshot's; the source is unchanged"
  (rules SNAP-9 SNAP-1)
  (requires snapshot-data)
  (tags snapshots)
  (notes "load_canister_snapshot takes the canister whose snapshot it is"
         "(0.50.0): a controller of both may load it onto another canister"
         "of the subnet. The target gets the snapshot's module and state and"
         "its own version grows; the source canister and its snapshot stay"
         "as they were."))

(module $c
  (memory 1)
  (data (i32.const 100) "before")
  (global $counter (mut i64) (i64.const 7))
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 10) (i64.const 100) (i64.const 6))
    (call $ic0.certified_data_set (i32.const 100) (i32.const 6)))
  (func (export "canister_update change")
    (i64.store (i32.const 100) (i64.const 0x2121212121212121))
    (drop (memory.grow (i32.const 1)))
    (global.set $counter (i64.const 1000))
    (call $ic0.stable64_write (i64.const 10) (i64.const 100) (i64.const 6))
    (drop (call $ic0.stable64_grow (i64.const 2)))
    (call $ic0.certified_data_set (i32.const 100) (i32.const 6))
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

;; another module: no "state" method, other globals, no stable memory
(module $d
  (memory 2)
  (global $x (mut f64) (f64.const 1.5))
  (func (export "canister_query other")
    (call $append_i32 (memory.size))
    (call $ic0.msg_reply)))

(install $c)
(update "change")
(query "state")              (expect reply (text "!!!!!!") (text "!!!!!!") (i64 1000) (i32 2) (i64 3) (i64 2))
(take-snapshot $s)
(on $b (install $d))
(on $b (reinstall $d))
(on $b (query "other"))      (expect reply (i32 2))
(on $b (load-snapshot $s))
;; $b runs $c now, in $s's state; its version is its own, plus one
(on $b (query "state"))      (expect reply (text "!!!!!!") (text "!!!!!!") (i64 1000) (i32 2) (i64 3) (i64 3))
(on $b (query "other"))      (expect reject destination-invalid method-not-found)
(on $b (take-snapshot $t))
(on $b (snapshot-metadata $t certified_data))   (expect reply (text "!!!!!!"))
(on $b (snapshot-metadata $t module_is $c))     (expect reply (i32 1))
(on $b (list-snapshots))     (expect reply (i64 1))
;; the source is unchanged and keeps its snapshot
(query "state")              (expect reply (text "!!!!!!") (text "!!!!!!") (i64 1000) (i32 2) (i64 3) (i64 2))
(list-snapshots)             (expect reply (i64 1))
;; a load changes the target only: $b's state moves on by itself
(on $b (update "change"))
(on $b (query "state"))      (expect reply (text "!!!!!!") (text "!!!!!!") (i64 1000) (i32 3) (i64 5) (i64 4))
(query "state")              (expect reply (text "!!!!!!") (text "!!!!!!") (i64 1000) (i32 2) (i64 3) (i64 2))
