(vector "a C canister (clang-14, wasm64) keeps its records in stable memory and rebuilds its heap index in post_upgrade"
  (rules SM64-GROW-1 SM64-WRITE-1 SM64-READ-1 TXN-1 INST-1 INST-2 UPG-1 UPG-4)
  (tags corpus c wasm64)
  (notes "canister.c built by clang-14 --target=wasm64 -nostdlib (docs/corpus.md)."
         "Arguments and replies are raw little-endian 64-bit integers."))

(module $c file "wasm64.wasm")

(install $c)
(query "pointer_size")                        (expect reply (i64 8))
(query "records")                             (expect reply (i64 0))

;; many updates: single puts, then 4,500 keys in three batches, which
;; takes stable memory past its first page (4,096 records of 16 bytes)
(update "put" (arg (i64 7) (i64 70)))         (expect reply (i64 1))
(update "put" (arg (i64 8) (i64 80)))         (expect reply (i64 2))
(update "put" (arg (i64 7) (i64 71)))         (expect reply (i64 3))
(update "put_many" (arg (i64 1000) (i64 1500))) (expect reply (i64 1503))
(update "put_many" (arg (i64 2500) (i64 1500))) (expect reply (i64 3003))
(update "put_many" (arg (i64 4000) (i64 1500))) (expect reply (i64 4503))
(query "records")                             (expect reply (i64 4503))
(query "keys")                                (expect reply (i64 4502))
(query "get" (arg (i64 7)))                   (expect reply (i64 71))
;; sum of 3k + 1 for k = 1000 .. 5499
(query "sum" (arg (i64 1000) (i64 4500)))     (expect reply (i64 43872750))

;; a trapping update: its record, its index entry and its stable growth vanish
(update "put_then_trap" (arg (i64 7) (i64 999))) (expect trap explicit-trap)
(query "get" (arg (i64 7)))                   (expect reply (i64 71))
(query "records")                             (expect reply (i64 4503))

;; upgrade: the heap index is gone and post_upgrade reads it back
(upgrade $c)
(query "pre_upgrades")                        (expect reply (i64 1))
(query "rebuilt_from")                        (expect reply (i64 4503))
(query "keys")                                (expect reply (i64 4502))
(query "get" (arg (i64 7)))                   (expect reply (i64 71))
(query "sum" (arg (i64 1000) (i64 4500)))     (expect reply (i64 43872750))

;; without pre_upgrade: nothing needed it, the data is all in stable memory
(upgrade $c (skip_pre_upgrade true))
(query "pre_upgrades")                        (expect reply (i64 1))
(query "get" (arg (i64 8)))                   (expect reply (i64 80))
(update "put" (arg (i64 9) (i64 90)))         (expect reply (i64 4504))
(upgrade $c (skip_pre_upgrade false))
(query "pre_upgrades")                        (expect reply (i64 2))
(query "rebuilt_from")                        (expect reply (i64 4504))
(query "get" (arg (i64 9)))                   (expect reply (i64 90))

;; reinstall: stable memory and heap start empty
(reinstall $c)
(query "records")                             (expect reply (i64 0))
(query "get" (arg (i64 7)))                   (expect reply (i64 -1))
(update "put" (arg (i64 7) (i64 1)))          (expect reply (i64 1))
(query "get" (arg (i64 7)))                   (expect reply (i64 1))
