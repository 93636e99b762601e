(vector "skip_pre_upgrade exists since interface spec 0.21.0: an upgrade asking for it is refused before, skips pre_upgrade since"
  (rules UPG-4)
  (history skip-pre-upgrade)
  (tags lifecycle history)
  (notes "(history skip-pre-upgrade): the vector also runs where the profile"
         "lacks feature.skip_pre_upgrade, and checks that the option is"
         "refused there (category unsupported) and the old code stays."
         "pre_upgrade traps, so only a skipped pre_upgrade lets the upgrade"
         "through."))

(module $old
  (memory 1)
  (func (export "canister_pre_upgrade")
    (unreachable))
  (func (export "canister_query version")
    (call $reply_i32 (i32.const 1))))

(module $new
  (memory 1)
  (func (export "canister_query version")
    (call $reply_i32 (i32.const 2))))

(install $old)
(upgrade $new (skip_pre_upgrade true))
(expect one-of
  (before-0.21 install-rejected unsupported)
  (since-0.21 reply))
(query "version")
(expect one-of
  (before-0.21 reply (i32 1))
  (since-0.21 reply (i32 2)))
