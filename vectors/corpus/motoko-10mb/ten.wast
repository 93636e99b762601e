(vector "a Motoko canister (motoko 4.10.0, classic persistence) carries 10 MiB of stable variables through upgrades"
  (rules INST-1 INST-2 UPG-1 UPG-4 TXN-1 TXN-5 SM64-GROW-1 SM64-WRITE-1 SM64-READ-1)
  (minimum (max_heap_wasm32 1GiB) (max_stable_memory 64MiB))
  (tags corpus motoko wasm32 large)
  (notes "ten.mo built with Motoko.gcFlags('classicOP') (docs/corpus.md):"
         "ten chunks of 1 MiB in a stable array of Blobs, serialized to"
         "stable memory by pre_upgrade and read back by post_upgrade. Byte i"
         "of chunk c is 97 + (i mod 16 + c) mod 26. Candid: DIDL\\00\\00 is no"
         "argument, DIDL\\00\\01\\7d + LEB128 one Nat. The hash (the"
         "runtime's Blob.hash, combined) was read on the reference and is"
         "the same on v8 and wasm2c and before and after every upgrade."))

(module $ten file "classic.wasm")

(install $ten (arg (bytes "DIDL\00\00")))
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\00"))

;; many updates: a chunk each
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\02"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\03"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\04"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\05"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\06"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\07"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\08"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\09"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\0a"))

;; a trapping update: the eleventh chunk vanishes
(update "add_chunk_then_trap" (arg (bytes "DIDL\00\00"))) (expect trap)
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\80\80\80\05"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\00"))) (expect reply (bytes "DIDL\00\01\7d\61"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\ff\ff\3f"))) (expect reply (bytes "DIDL\00\01\7d\70"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\03\e8\07"))) (expect reply (bytes "DIDL\00\01\7d\6c"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\09\80\20"))) (expect reply (bytes "DIDL\00\01\7d\6a"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\09\ff\ff\03"))) (expect reply (bytes "DIDL\00\01\7d\79"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\05\b8\17"))) (expect reply (bytes "DIDL\00\01\7d\6e"))
(query "hash" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\98\a9\9e\e8\0c"))

;; upgrade: 10 MiB through stable memory and back
(upgrade $ten (arg (bytes "DIDL\00\00")))
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\80\80\80\05"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\ff\ff\03"))) (expect reply (bytes "DIDL\00\01\7d\70"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\09\80\20"))) (expect reply (bytes "DIDL\00\01\7d\6a"))
(query "hash" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\98\a9\9e\e8\0c"))

;; skip_pre_upgrade: post_upgrade finds the stable memory it emptied after
;; the last read and traps; the upgrade fails as a whole
(upgrade $ten (arg (bytes "DIDL\00\00")) (skip_pre_upgrade true)) (expect install-rejected explicit-trap)
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\80\80\80\05"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\ff\ff\03"))) (expect reply (bytes "DIDL\00\01\7d\70"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\09\80\20"))) (expect reply (bytes "DIDL\00\01\7d\6a"))
(query "hash" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\98\a9\9e\e8\0c"))
(upgrade $ten (arg (bytes "DIDL\00\00")) (skip_pre_upgrade false))
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\80\80\80\05"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\ff\ff\03"))) (expect reply (bytes "DIDL\00\01\7d\70"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\09\80\20"))) (expect reply (bytes "DIDL\00\01\7d\6a"))
(query "hash" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\98\a9\9e\e8\0c"))

;; reinstall: nothing left
(reinstall $ten (arg (bytes "DIDL\00\00")))
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\00"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\ff\ff\03"))) (expect reply (bytes "DIDL\00\01\7d\70"))
