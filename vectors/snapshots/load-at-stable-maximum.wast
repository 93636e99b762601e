(vector "a snapshot whose stable memory is exactly max_stable_memory loads; the canister keeps that size"
  (rules SNAP-1 EDGE-SNAPSHOT-SIZES LIM-SM-1)
  (requires snapshots)
  (tags snapshots boundary)
  (notes "A canister may grow its stable memory to max_stable_memory"
         "(LIM-SM-1), so a snapshot of it at that size is one a canister"
         "can have: the load check of EDGE-SNAPSHOT-SIZES refuses only"
         "stable memory beyond the maximum. Stable memory is sparse in the"
         "reference, so 500 GiB costs nothing."))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(update "grow" (arg i64 (pages max_stable_memory)))  (expect reply (i64 0))
(take-snapshot $full)
(reinstall $c)
(query "size")                  (expect reply (i64 0))
(load-snapshot $full)
(query "size")                  (expect reply (i64 (pages max_stable_memory)))
