(vector "an empty canister has nothing to take a snapshot of"
  (rules SNAP-1)
  (requires snapshots)
  (tags snapshots)
  (notes "The Formal model takes S.canisters[A.canister_id], which an empty"
         "canister lacks; the replica refuses (no execution state)."))

(module $c
  (memory 1)
  (func (export "canister_query ok") (call $reply_empty)))

(take-snapshot $s)               (expect reject canister-error canister-empty)
(list-snapshots)                 (expect reply (i64 0))
(install $c)
(take-snapshot $s)
(uninstall)
(take-snapshot $t)               (expect reject canister-error canister-empty)
(load-snapshot $s)
(query "ok")
