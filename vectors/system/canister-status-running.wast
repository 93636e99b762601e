(vector "canister_status answers 1 (running) in init, updates, queries, replicated queries and both upgrade hooks"
  (rules SYS-STATUS-1)
  (tags system)
  (notes "The model has no stopping or stopped canister: every execution"
         "sees 1. init and the upgrade hooks keep what they saw in stable"
         "memory."))

(module $c
  (memory 1)
  (func $save (param $slot i64)
    (i32.store (i32.const 100) (call $ic0.canister_status))
    (call $ic0.stable64_write (i64.mul (local.get $slot) (i64.const 4))
                              (i64.const 100) (i64.const 4)))
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $save (i64.const 0)))
  (func (export "canister_pre_upgrade") (call $save (i64.const 1)))
  (func (export "canister_post_upgrade") (call $save (i64.const 2)))
  (func (export "canister_query saved")
    (call $ic0.stable64_read (i64.const 200) (i64.const 0) (i64.const 12))
    (call $ic0.msg_reply_data_append (i32.const 200) (i32.const 12))
    (call $ic0.msg_reply))
  (func (export "canister_update now")
    (call $reply_i32 (call $ic0.canister_status)))
  (func (export "canister_query now-query")
    (call $reply_i32 (call $ic0.canister_status))))

(install $c)
(update "now")                    (expect reply (i32 1))
(query "now-query")               (expect reply (i32 1))
(replicated-query "now-query")    (expect reply (i32 1))
(upgrade $c)
(query "saved")                   (expect reply (i32 1) (i32 1) (i32 1))
