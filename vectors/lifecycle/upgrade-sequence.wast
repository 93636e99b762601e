(vector "upgrade: pre_upgrade sees the old state and saves to stable memory; the new module gets a fresh heap, stable memory as pre_upgrade left it, and no canister_init"
  (rules UPG-1 UPG-2 SM-6 SM-1 HEAP-10)
  (tags lifecycle))

(module $v1
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_update bump")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (i64.store (i32.const 1000) (i64.mul (global.get $counter) (i64.const 100)))
    (call $reply_empty))
  ;; saves global, heap word and its own view of the version to stable
  ;; memory, which it grows to 2 pages; then scribbles on the heap, which
  ;; the upgrade throws away
  (func (export "canister_pre_upgrade")
    (drop (call $ic0.stable64_grow (i64.const 2)))
    (i64.store (i32.const 2000) (global.get $counter))
    (i64.store (i32.const 2008) (i64.load (i32.const 1000)))
    (i64.store (i32.const 2016) (call $ic0.canister_version))
    (call $ic0.stable64_write (i64.const 65530) (i64.const 2000) (i64.const 24))
    (i64.store (i32.const 1000) (i64.const -1))))

(module $v2
  (memory 1)
  (data (i32.const 1000) "\07\00\00\00\00\00\00\00")
  (global $post-version (mut i64) (i64.const 0))
  (global $init-ran (mut i64) (i64.const 0))
  (func (export "canister_init") (global.set $init-ran (i64.const 1)))
  (func (export "canister_post_upgrade")
    (global.set $post-version (call $ic0.canister_version)))
  (func (export "canister_query report")
    ;; saved bytes straddle the first page boundary
    (call $ic0.stable64_read (i64.const 3000) (i64.const 65530) (i64.const 24))
    (call $ic0.msg_reply_data_append (i32.const 3000) (i32.const 24))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (i64.load (i32.const 1000)))
    (call $append_i64 (global.get $post-version))
    (call $append_i64 (global.get $init-ran))
    (call $ic0.msg_reply)))

(install $v1)
(update "bump")
(update "bump")
;; version 3 before the upgrade: pre_upgrade sees 3, post_upgrade 4
(upgrade $v2)
(query "report")
(expect reply (i64 2) (i64 200) (i64 3)   ;; what pre_upgrade saved
              (i64 2)                     ;; stable size pre_upgrade made
              (i64 7)                     ;; v2's data segment, not v1's heap
              (i64 4) (i64 0))
