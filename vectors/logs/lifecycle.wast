(vector "upgrade keeps the canister log; reinstall leaves only what its init logged; uninstall empties it; a snapshot load leaves it"
  (rules LOG-3)
  (requires logs)
  (tags logs lifecycle)
  (notes "fetch_canister_logs: logs persist across upgrades and are deleted"
         "on reinstall and uninstall. The Formal model's install sets the"
         "log to what start and init produced; load_canister_snapshot does"
         "not touch it."))

(module $c
  (memory 1)
  (data (i32.const 100) "initpre!post")
  (func (export "canister_init")
    (call $ic0.debug_print (i32.const 100) (i32.const 4)))
  (func (export "canister_pre_upgrade")
    (call $ic0.debug_print (i32.const 104) (i32.const 4)))
  (func (export "canister_post_upgrade")
    (call $ic0.debug_print (i32.const 108) (i32.const 4))))

(install $c)
(upgrade $c)
(canister-logs count)           (expect reply (i64 3))
(canister-logs content 2)       (expect reply (text "post"))
(reinstall $c)
(canister-logs count)           (expect reply (i64 1))
(canister-logs content 0)       (expect reply (text "init"))
;; indexes go on after a purge
(canister-logs idx 0)           (expect reply (i64 3))
(uninstall)
(canister-logs count)           (expect reply (i64 0))
