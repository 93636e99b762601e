(vector "a Motoko canister (motoko 4.10.0, classic persistence) keeps two stable memory regions across upgrades"
  (rules SM64-GROW-1 SM64-WRITE-1 SM64-READ-1 TXN-1 TXN-5 INST-1 INST-2 UPG-1 UPG-4)
  (minimum (max_heap_wasm32 (* 64 page)) (max_stable_memory 64MiB))
  (tags corpus motoko wasm32 regions)
  (notes "regions.mo built with Motoko.gcFlags('classicOP') (docs/corpus.md)."
         "Motoko's region manager gives each region blocks of 128 pages of"
         "the one stable memory. Candid: DIDL\\00\\00 is no argument; a Nat64"
         "is DIDL\\00\\01\\78 and 8 little-endian bytes; layout answers"
         "(Nat64, Nat64, Nat, Nat): the pages of each region and their ids."))

(module $regions file "classic.wasm")

(install $regions (arg (bytes "DIDL\00\00")))
(query "layout" (arg (bytes "DIDL\00\00")))
(expect reply (bytes "DIDL\00\04\78\78\7d\7d" "\00\00\00\00\00\00\00\00" "\00\00\00\00\00\00\00\00" "\10\11"))

;; many updates: appends to one region, a table in the other
(update "append" (arg (bytes "DIDL\00\01\78") (i64 10)))   (expect reply (bytes "DIDL\00\01\78") (i64 1))
(update "append" (arg (bytes "DIDL\00\01\78") (i64 20)))   (expect reply (bytes "DIDL\00\01\78") (i64 2))
(update "append" (arg (bytes "DIDL\00\01\78") (i64 30)))   (expect reply (bytes "DIDL\00\01\78") (i64 3))
(update "fill_squares" (arg (bytes "DIDL\00\01\78") (i64 10000))) (expect reply (bytes "DIDL\00\01\78") (i64 2))
(update "append" (arg (bytes "DIDL\00\01\78") (i64 40)))   (expect reply (bytes "DIDL\00\01\78") (i64 4))
(query "layout" (arg (bytes "DIDL\00\00")))
(expect reply (bytes "DIDL\00\04\78\78\7d\7d") (i64 1) (i64 2) (bytes "\10\11"))
(query "entry" (arg (bytes "DIDL\00\01\78") (i64 2)))      (expect reply (bytes "DIDL\00\01\78") (i64 30))
(query "square" (arg (bytes "DIDL\00\01\78") (i64 9999)))  (expect reply (bytes "DIDL\00\01\78") (i64 99980001))
(query "log_sum" (arg (bytes "DIDL\00\00")))               (expect reply (bytes "DIDL\00\01\78") (i64 100))

;; a trap after the region grew and was written: all of it vanishes
(update "append_then_trap" (arg (bytes "DIDL\00\01\78") (i64 99))) (expect trap explicit-trap)
(query "layout" (arg (bytes "DIDL\00\00")))
(expect reply (bytes "DIDL\00\04\78\78\7d\7d") (i64 1) (i64 2) (bytes "\10\11"))
(query "log_sum" (arg (bytes "DIDL\00\00")))               (expect reply (bytes "DIDL\00\01\78") (i64 100))
(query "entry" (arg (bytes "DIDL\00\01\78") (i64 4)))      (expect trap explicit-trap)

;; upgrade: the regions stay where they are, the Region values come back
(upgrade $regions (arg (bytes "DIDL\00\00")))
(query "layout" (arg (bytes "DIDL\00\00")))
(expect reply (bytes "DIDL\00\04\78\78\7d\7d") (i64 1) (i64 2) (bytes "\10\11"))
(query "log_sum" (arg (bytes "DIDL\00\00")))               (expect reply (bytes "DIDL\00\01\78") (i64 100))
(query "square" (arg (bytes "DIDL\00\01\78") (i64 9999)))  (expect reply (bytes "DIDL\00\01\78") (i64 99980001))
(update "append" (arg (bytes "DIDL\00\01\78") (i64 50)))   (expect reply (bytes "DIDL\00\01\78") (i64 5))

;; skip_pre_upgrade: post_upgrade reads the stable variables where the
;; last pre_upgrade put them, finds what is there now instead and reads
;; past the end of stable memory: the upgrade fails as a whole
(upgrade $regions (arg (bytes "DIDL\00\00")) (skip_pre_upgrade true))
(expect install-rejected stable-out-of-bounds)
(query "log_sum" (arg (bytes "DIDL\00\00")))               (expect reply (bytes "DIDL\00\01\78") (i64 150))
(upgrade $regions (arg (bytes "DIDL\00\00")) (skip_pre_upgrade false))
(query "log_sum" (arg (bytes "DIDL\00\00")))               (expect reply (bytes "DIDL\00\01\78") (i64 150))
(query "entry" (arg (bytes "DIDL\00\01\78") (i64 4)))      (expect reply (bytes "DIDL\00\01\78") (i64 50))
(query "layout" (arg (bytes "DIDL\00\00")))
(expect reply (bytes "DIDL\00\04\78\78\7d\7d") (i64 1) (i64 2) (bytes "\10\11"))

;; reinstall: empty regions again
(reinstall $regions (arg (bytes "DIDL\00\00")))
(query "layout" (arg (bytes "DIDL\00\00")))
(expect reply (bytes "DIDL\00\04\78\78\7d\7d" "\00\00\00\00\00\00\00\00" "\00\00\00\00\00\00\00\00" "\10\11"))
(query "log_sum" (arg (bytes "DIDL\00\00")))               (expect reply (bytes "DIDL\00\01\78") (i64 0))
