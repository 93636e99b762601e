(vector "reinstall works on an empty canister, just like install"
  (rules INST-2)
  (tags lifecycle))

(module $c
  (memory 1)
  (global $init-ran (mut i32) (i32.const 0))
  (func (export "canister_init") (global.set $init-ran (i32.const 1)))
  (func (export "canister_query init-ran")
    (call $reply_i32 (global.get $init-ran))))

(reinstall $c)
(query "init-ran")   (expect reply (i32 1))
(uninstall)
(reinstall $c)
(query "init-ran")   (expect reply (i32 1))
