(vector "a Motoko canister (motoko 4.10.0, enhanced orthogonal persistence) keeps 10 MiB in its heap through upgrades with wasm_memory_persistence keep"
  (rules INST-1 INST-2 UPG-1 UPG-4 TXN-1 EOP-1 EOP-2)
  (minimum (max_heap_wasm64 1GiB))
  (tags corpus motoko wasm64 eop large)
  (notes "ten.mo built with the compiler's default, enhanced orthogonal"
         "persistence (docs/corpus.md): memory64 and a 64-bit table. The ten"
         "chunks of 1 MiB stay in the heap, which wasm_memory_persistence"
         "keep carries through the upgrade. Byte i of chunk c is"
         "97 + (i mod 16 + c) mod 26. Candid: DIDL\\00\\00 is no argument, DIDL\\00\\01\\7d +"
         "LEB128 one Nat."))

(module $ten file "eop.wasm")

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

;; an EOP module must be upgraded with wasm_memory_persistence
(upgrade $ten (arg (bytes "DIDL\00\00"))) (expect install-rejected upgrade-option)

;; keep: the 10 MiB never leave the heap
(upgrade $ten (arg (bytes "DIDL\00\00")) (wasm_memory_persistence keep))
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\80\80\80\05"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\ff\ff\03"))) (expect reply (bytes "DIDL\00\01\7d\70"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\09\80\20"))) (expect reply (bytes "DIDL\00\01\7d\6a"))
(query "hash" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\98\a9\9e\e8\0c"))

;; skip_pre_upgrade: Motoko records its stable variables only in
;; pre_upgrade, so the new instance starts them over: the chunks are gone
(upgrade $ten (arg (bytes "DIDL\00\00")) (skip_pre_upgrade true) (wasm_memory_persistence keep))
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\00"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(upgrade $ten (arg (bytes "DIDL\00\00")) (skip_pre_upgrade false) (wasm_memory_persistence keep))
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\80\80\40"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\ff\ff\03"))) (expect reply (bytes "DIDL\00\01\7d\70"))

;; reinstall: nothing left
(reinstall $ten (arg (bytes "DIDL\00\00")))
(query "total_bytes" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\00"))
(update "add_chunk" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(query "byte" (arg (bytes "DIDL\00\02\7d\7d\00\ff\ff\03"))) (expect reply (bytes "DIDL\00\01\7d\70"))
