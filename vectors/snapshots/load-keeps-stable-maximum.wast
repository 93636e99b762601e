(vector "a canister's stable memory after loading a snapshot still grows to exactly max_stable_memory; one page more returns -1"
  (rules SNAP-1 LIM-SM-1 SM64-GROW-2)
  (requires snapshots)
  (tags snapshots boundary)
  (notes "Loading a snapshot gives the canister the snapshot's stable memory"
         "(SNAP-1); the canister's limits do not come from the snapshot, so"
         "stable64_grow past the profile's max_stable_memory still returns"
         "-1 (SM64-GROW-2). Stable memory is sparse in the reference, so"
         "500 GiB costs nothing."))

(module $c
  (memory 1)
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(take-snapshot $s)
(load-snapshot $s)
(query "size")                  (expect reply (i64 1))
(update "grow" (arg i64 (pages max_stable_memory)))        (expect reply (i64 -1))
(update "grow" (arg i64 (- (pages max_stable_memory) 1)))  (expect reply (i64 1))
(update "grow" (arg i64 1))     (expect reply (i64 -1))
(query "size")                  (expect reply (i64 (pages max_stable_memory)))
