(vector "certified data after reinstall, seen in a snapshot's metadata: empty (prose), or the old code's (formal text)"
  (rules EDGE-CERTDATA-INSTALL SNAP-1)
  (requires snapshot-data)
  (tags snapshots ambiguous)
  (notes "The Formal model's install assigns New_certified_data, which may"
         "be NoCertifiedData when init sets none; the prose says a fresh"
         "canister's certified data is empty. Snapshot metadata carries"
         "certified data, so the two readings are observable."))

(module $c
  (memory 1)
  (data (i32.const 100) "old!")
  (func (export "canister_update certify")
    (call $ic0.certified_data_set (i32.const 100) (i32.const 4))
    (call $reply_empty)))

(install $c)
(update "certify")
(take-snapshot $a)
(snapshot-metadata $a certified_data)    (expect reply (text "old!"))
(reinstall $c)
(take-snapshot $b)
(snapshot-metadata $b certified_data)
(expect one-of
  (empty reply (bytes ""))
  (kept reply (text "old!")))
;; loading $a brings the old certified data back
(load-snapshot $a)
(take-snapshot $c2)
(snapshot-metadata $c2 certified_data)   (expect reply (text "old!"))
