(vector "a Rust canister (rustc 1.63, std) copies 1 MiB blocks of stable memory into the heap, works on them and writes them back"
  (rules SM64-GROW-1 SM64-WRITE-1 SM64-READ-1 HEAP-3 TXN-1 INST-1 INST-2 UPG-1 UPG-4)
  (minimum (max_stable_memory (* 129 page)))
  (tags corpus rust wasm32)
  (notes "canister.rs built by Debian's rustc for wasm32-unknown-unknown"
         "(docs/corpus.md). Arguments and replies are raw little-endian u64s."
         "The checksums are FNV-1a over the block; the expected values were"
         "computed apart from the canister, with the same xorshift and FNV in"
         "Python."))

(module $blocks file "block.wasm")

(install $blocks)
(query "checksum" (arg (i64 0)))                 (expect reply (i64 -6239887888404569307))

;; many updates, each one block through the heap and back
(update "fill" (arg (i64 0) (i64 7)))            (expect reply (i64 3407395713690771174))
(update "fill" (arg (i64 1) (i64 8)))            (expect reply (i64 -5674972997873741955))
(query "byte" (arg (i64 0) (i64 0)))             (expect reply (i64 195))
(query "byte" (arg (i64 0) (i64 12345)))         (expect reply (i64 235))
(update "sort" (arg (i64 0)))                    (expect reply (i64 -5805468944797893936))
(query "is_sorted" (arg (i64 0)))                (expect reply (i64 1))
(query "is_sorted" (arg (i64 1)))                (expect reply (i64 0))
(query "byte" (arg (i64 0) (i64 0)))             (expect reply (i64 0))
(query "byte" (arg (i64 0) (i64 1048575)))       (expect reply (i64 255))
(update "copy" (arg (i64 0) (i64 7)))            (expect reply (i64 -5805468944797893936))
(query "checksum" (arg (i64 7)))                 (expect reply (i64 -5805468944797893936))
(query "operations")                             (expect reply (i64 4))

;; a trap after the block was written back: stable memory and the heap's
;; count of operations are as before
(update "reverse_then_trap" (arg (i64 7)))       (expect trap explicit-trap)
(query "checksum" (arg (i64 7)))                 (expect reply (i64 -5805468944797893936))
(query "operations")                             (expect reply (i64 4))
(update "fill" (arg (i64 8) (i64 1)))            (expect trap explicit-trap)

;; upgrade: pre_upgrade saves the count, post_upgrade reads it back
(upgrade $blocks)
(query "operations")                             (expect reply (i64 4))
(query "checksum" (arg (i64 0)))                 (expect reply (i64 -5805468944797893936))
(query "checksum" (arg (i64 1)))                 (expect reply (i64 -5674972997873741955))
(update "fill" (arg (i64 3) (i64 7)))            (expect reply (i64 3407395713690771174))
(query "operations")                             (expect reply (i64 5))

;; skip_pre_upgrade: the blocks are safe in stable memory, but the count
;; read back is the one the last pre_upgrade saved
(upgrade $blocks (skip_pre_upgrade true))
(query "operations")                             (expect reply (i64 4))
(query "checksum" (arg (i64 3)))                 (expect reply (i64 3407395713690771174))

;; reinstall: empty blocks; without any pre_upgrade since, post_upgrade
;; finds no header and traps, so the upgrade fails as a whole
(reinstall $blocks)
(query "checksum" (arg (i64 0)))                 (expect reply (i64 -6239887888404569307))
(query "operations")                             (expect reply (i64 0))
(update "fill" (arg (i64 0) (i64 8)))            (expect reply (i64 -5674972997873741955))
(upgrade $blocks (skip_pre_upgrade true))        (expect install-rejected explicit-trap)
(query "operations")                             (expect reply (i64 1))
(upgrade $blocks (skip_pre_upgrade false))
(query "operations")                             (expect reply (i64 1))
(query "checksum" (arg (i64 0)))                 (expect reply (i64 -5674972997873741955))
