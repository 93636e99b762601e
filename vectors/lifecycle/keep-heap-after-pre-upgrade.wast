(vector "with keep, the new module gets the heap as pre_upgrade left it, and globals from its own initial values"
  (rules EOP-1 EOP-4 UPG-1 MOD-START-1)
  (tags lifecycle))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 10))
    (global.set $counter (i64.const 5))
    (call $reply_empty))
  ;; the last word the old code writes into the heap
  (func (export "canister_pre_upgrade")
    (i64.store (i32.const 108) (i64.const 20))))

(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (global $counter (mut i64) (i64.const 70))
  (global $seen-by-start (mut i64) (i64.const 0))
  ;; (start) already runs on the kept heap
  (func $start (global.set $seen-by-start (i64.load (i32.const 100))))
  (start $start)
  (func (export "canister_query report")
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (i64.load (i32.const 108)))
    (call $append_i64 (global.get $counter))
    (call $append_i64 (global.get $seen-by-start))
    (call $ic0.msg_reply)))

(install $v1)
(update "set")
(upgrade $v2 (wasm_memory_persistence keep))
(query "report")   (expect reply (i64 10) (i64 20) (i64 70) (i64 10))
