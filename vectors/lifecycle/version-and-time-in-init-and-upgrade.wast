(vector "canister_init sees version 1, pre_upgrade the old version and post_upgrade the new one; ic0.time is set in each and does not go back"
  (rules UPG-2 TXN-12)
  (tags lifecycle)
  (notes "Each hook writes canister_version and ic0.time to stable memory"
         "(which upgrades keep); the query compares them. pre_upgrade and"
         "post_upgrade run in one upgrade: post_upgrade's time is not"
         "earlier than pre_upgrade's, which is later than init's."))

(module $c
  (memory 1)
  ;; stable words: 0 init version, 1 init time, 2 pre version, 3 pre time,
  ;; 4 post version, 5 post time
  (func $save (param $slot i64)
    (i64.store (i32.const 100) (call $ic0.canister_version))
    (i64.store (i32.const 108) (call $ic0.time))
    (call $ic0.stable64_write (i64.mul (local.get $slot) (i64.const 8))
                              (i64.const 100) (i64.const 16)))
  (func $word (param $i i64) (result i64)
    (call $ic0.stable64_read (i64.const 200) (i64.mul (local.get $i) (i64.const 8))
                             (i64.const 8))
    (i64.load (i32.const 200)))
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $save (i64.const 0)))
  (func (export "canister_pre_upgrade") (call $save (i64.const 2)))
  (func (export "canister_post_upgrade") (call $save (i64.const 4)))
  (func (export "canister_query versions")
    (call $append_i64 (call $word (i64.const 0)))
    (call $append_i64 (call $word (i64.const 2)))
    (call $append_i64 (call $word (i64.const 4)))
    (call $ic0.msg_reply))
  ;; 1 for each: init's time is set, pre_upgrade's is later, post_upgrade's
  ;; is not earlier than pre_upgrade's, and an update after sees a later one
  (func (export "canister_update times")
    (call $append_i32 (i64.ne (call $word (i64.const 1)) (i64.const 0)))
    (call $append_i32 (i64.gt_u (call $word (i64.const 3)) (call $word (i64.const 1))))
    (call $append_i32 (i64.ge_u (call $word (i64.const 5)) (call $word (i64.const 3))))
    (call $append_i32 (i64.gt_u (call $ic0.time) (call $word (i64.const 5))))
    (call $ic0.msg_reply)))

(install $c)
(query "versions")   (expect reply (i64 1) (i64 0) (i64 0))
(upgrade $c)
(query "versions")   (expect reply (i64 1) (i64 1) (i64 2))
(update "times")     (expect reply (i32 1) (i32 1) (i32 1) (i32 1))
(upgrade $c)
(query "versions")   (expect reply (i64 1) (i64 3) (i64 4))
