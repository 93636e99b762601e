(vector "loading another canister's snapshot arrived in 0.50.0: refused as unsupported before, loaded since"
  (rules SNAP-9 SNAP-4)
  (requires snapshots snapshot-load-other)
  (history snapshot-load-other)
  (tags snapshots history)
  (notes "Before 0.50.0 load_canister_snapshot loads the canister's own"
         "snapshots only. A refused load leaves the target as it was."))

(module $c
  (memory 1)
  (global $n (mut i32) (i32.const 1))
  (func (export "canister_update bump")
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (call $reply_i32 (global.get $n))))

(install $c)
(update "bump")                 (expect reply (i32 2))
(take-snapshot $s)
(on $b (install $c))
(on $b (load-snapshot $s))
(expect one-of
  (before-0.50.0 reject canister-error unsupported)
  (since-0.50.0 reply))
(on $b (update "bump"))
(expect one-of
  (before-0.50.0 reply (i32 2))
  (since-0.50.0 reply (i32 3)))
