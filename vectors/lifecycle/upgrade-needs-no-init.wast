(vector "an upgrade never calls the new module's canister_init, and works without pre_upgrade or post_upgrade"
  (rules UPG-1)
  (tags lifecycle))

(module $v1
  (memory 1)
  (func (export "canister_query version")
    (call $reply_i32 (i32.const 1))))

;; an init that would fail the upgrade if it ran
(module $v2
  (memory 1)
  (func (export "canister_init") (unreachable))
  (func (export "canister_query version")
    (call $reply_i32 (i32.const 2))))

(install $v1)
(upgrade $v2)
(query "version")   (expect reply (i32 2))
(upgrade $v1)
(query "version")   (expect reply (i32 1))
