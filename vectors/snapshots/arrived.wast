(vector "snapshots arrived in 0.28.0: take_canister_snapshot is refused before, taken and loaded since"
  (rules SNAP-4)
  (requires snapshots)
  (history snapshots)
  (tags snapshots history)
  (notes "ic-2021 and ic-2022 predate snapshots (0.28.0, 2024-10-11)."))

(module $c
  (memory 1)
  (global $n (mut i32) (i32.const 1))
  (func (export "canister_update bump")
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (call $reply_i32 (global.get $n))))

(install $c)
(take-snapshot $s)
(expect one-of
  (before-0.28.0 reject canister-error unsupported)
  (since-0.28.0 reply))
(update "bump")          (expect reply (i32 2))
(load-snapshot $s)
(expect one-of
  (before-0.28.0 reject canister-error unsupported)
  (since-0.28.0 reply))
(update "bump")
(expect one-of
  (before-0.28.0 reply (i32 3))
  (since-0.28.0 reply (i32 2)))
