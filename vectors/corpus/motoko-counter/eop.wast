(vector "a Motoko counter (motoko 4.10.0, enhanced orthogonal persistence, wasm64) keeps its heap across upgrades with wasm_memory_persistence keep"
  (rules INST-1 INST-2 UPG-1 UPG-4 TXN-1 EOP-1 EOP-2 EOP-5)
  (minimum (max_heap_wasm64 (* 128 page)))
  (tags corpus motoko wasm64 eop)
  (notes "counter.mo built with the compiler's default, enhanced orthogonal"
         "persistence: memory64 and a 64-bit table, so the vector needs"
         "wasm64 and table64 (docs/corpus.md). Arguments and replies are"
         "Candid: DIDL\\00\\00 is no argument, DIDL\\00\\01\\7d followed by"
         "LEB128 is one Nat."))

(module $counter file "eop.wasm")

(install $counter (arg (bytes "DIDL\00\00")))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\00"))

;; many updates
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\01"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\02"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\03"))
(update "add" (arg (bytes "DIDL\00\01\7d\64")))     (expect reply (bytes "DIDL\00\01\7d\67"))
(update "add" (arg (bytes "DIDL\00\01\7d\80\01")))  (expect reply (bytes "DIDL\00\01\7d\e7\01"))
(update "add" (arg (bytes "DIDL\00\01\7d\90\4e")))  (expect reply (bytes "DIDL\00\01\7d\f7\4f"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\f8\4f"))
(query "get_calls" (arg (bytes "DIDL\00\00")))      (expect reply (bytes "DIDL\00\01\7d\07"))

;; a trapping update leaves nothing behind
(update "add_then_trap" (arg (bytes "DIDL\00\01\7d\05")))  (expect trap)
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\f8\4f"))
(query "get_calls" (arg (bytes "DIDL\00\00")))      (expect reply (bytes "DIDL\00\01\7d\07"))

;; the module declares enhanced orthogonal persistence: an upgrade must
;; say what happens to the heap
(upgrade $counter (arg (bytes "DIDL\00\00")))       (expect install-rejected upgrade-option)
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\f8\4f"))

;; keep: the heap stays, the transient variable starts over
(upgrade $counter (arg (bytes "DIDL\00\00")) (wasm_memory_persistence keep))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\f8\4f"))
(query "get_calls" (arg (bytes "DIDL\00\00")))      (expect reply (bytes "DIDL\00\01\7d\00"))
(query "get_preupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\f9\4f"))

;; skip_pre_upgrade: the heap is kept, but Motoko records where its
;; stable variables are only in canister_pre_upgrade (the persistent
;; roots of design/OrthogonalPersistence.md in the Motoko repository), so
;; the new instance finds none and initializes every variable again
(upgrade $counter (arg (bytes "DIDL\00\00")) (skip_pre_upgrade true) (wasm_memory_persistence keep))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\00"))
(query "get_preupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\00"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\01"))

;; with pre_upgrade again, what the new instance counted survives
(upgrade $counter (arg (bytes "DIDL\00\00")) (skip_pre_upgrade false) (wasm_memory_persistence keep))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\01"))
(query "get_preupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\02"))

;; replace: the heap is discarded, and with no stable memory to read
;; from either, Motoko starts every variable over
(upgrade $counter (arg (bytes "DIDL\00\00")) (wasm_memory_persistence replace))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\00"))
(query "get_preupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\00"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\01"))

;; reinstall: everything starts over
(reinstall $counter (arg (bytes "DIDL\00\00")))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\00"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\00"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\01"))
