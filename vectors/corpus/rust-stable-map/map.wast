(vector "a Rust canister (rustc 1.63, no_std) keeps a hash map in stable memory itself: upgrades have nothing to save"
  (rules SM64-GROW-1 SM64-WRITE-1 SM64-READ-1 TXN-1 INST-1 INST-2 UPG-1 UPG-4)
  (tags corpus rust wasm32)
  (minimum (stable_access_limit_message 16MiB) (stable_write_limit_message 16MiB))
  (notes "canister.rs built by Debian's rustc for wasm32-unknown-unknown"
         "(docs/corpus.md). Arguments and replies are raw little-endian"
         "u64s; a missing key answers all ones."))

(module $map file "map.wasm")

(install $map)
(query "len")                                    (expect reply (i64 0))
(query "get" (arg (i64 42)))                     (expect reply (i64 -1))

;; many updates: single inserts, an overwrite, a remove, then 5,000 keys
(update "insert" (arg (i64 42) (i64 4200)))      (expect reply (i64 -1))
(update "insert" (arg (i64 43) (i64 4300)))      (expect reply (i64 -1))
(update "insert" (arg (i64 42) (i64 4201)))      (expect reply (i64 4200))
(update "remove" (arg (i64 43)))                 (expect reply (i64 4300))
(update "remove" (arg (i64 43)))                 (expect reply (i64 -1))
(update "insert_many" (arg (i64 1000) (i64 1000))) (expect reply (i64 1001))
(update "insert_many" (arg (i64 2000) (i64 2000))) (expect reply (i64 3001))
(update "insert_many" (arg (i64 4000) (i64 2000))) (expect reply (i64 5001))
(query "get" (arg (i64 42)))                     (expect reply (i64 4201))
(query "get" (arg (i64 5999)))                   (expect reply (i64 35988001))
;; the sum of k * k for k = 1000 .. 3999
(query "sum" (arg (i64 1000) (i64 3000)))        (expect reply (i64 20992500500))

;; a trapping update: its bucket and the count are rolled back
(update "insert_then_trap" (arg (i64 44) (i64 1))) (expect trap explicit-trap)
(update "insert_then_trap" (arg (i64 42) (i64 1))) (expect trap explicit-trap)
(query "get" (arg (i64 44)))                     (expect reply (i64 -1))
(query "get" (arg (i64 42)))                     (expect reply (i64 4201))
(query "len")                                    (expect reply (i64 5001))

;; upgrades: the map never left stable memory
(upgrade $map)
(query "pre_upgrades")                           (expect reply (i64 1))
(query "len")                                    (expect reply (i64 5001))
(query "sum" (arg (i64 1000) (i64 5000)))        (expect reply (i64 71649167500))
(upgrade $map (skip_pre_upgrade true))
(query "pre_upgrades")                           (expect reply (i64 1))
(query "get" (arg (i64 42)))                     (expect reply (i64 4201))
(update "remove" (arg (i64 42)))                 (expect reply (i64 4201))
(upgrade $map (skip_pre_upgrade false))
(query "pre_upgrades")                           (expect reply (i64 2))
(query "len")                                    (expect reply (i64 5000))
(query "get" (arg (i64 42)))                     (expect reply (i64 -1))

;; reinstall: an empty map
(reinstall $map)
(query "len")                                    (expect reply (i64 0))
(query "get" (arg (i64 1000)))                   (expect reply (i64 -1))
(update "insert" (arg (i64 1000) (i64 1)))       (expect reply (i64 -1))
(query "get" (arg (i64 1000)))                   (expect reply (i64 1))
