(vector "a Motoko counter (motoko 4.10.0, classic persistence, wasm32) keeps its stable variables across upgrades"
  (rules INST-1 INST-2 UPG-1 UPG-4 TXN-1 TXN-5 SM64-WRITE-1 SM64-READ-1)
  (minimum (max_heap_wasm32 (* 64 page)))
  (tags corpus motoko wasm32)
  (notes "counter.mo built with Motoko.gcFlags('classicOP') (docs/corpus.md)."
         "Arguments and replies are Candid: DIDL\\00\\00 is no argument,"
         "DIDL\\00\\01\\7d followed by LEB128 is one Nat."))

(module $counter file "classic.wasm")

(install $counter (arg (bytes "DIDL\00\00")))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\00"))

;; many updates
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\01"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\02"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\03"))
(update "add" (arg (bytes "DIDL\00\01\7d\64")))  (expect reply (bytes "DIDL\00\01\7d\67"))
(update "add" (arg (bytes "DIDL\00\01\7d\80\01")))  (expect reply (bytes "DIDL\00\01\7d\e7\01"))
(update "add" (arg (bytes "DIDL\00\01\7d\90\4e")))  (expect reply (bytes "DIDL\00\01\7d\f7\4f"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\f8\4f"))
(query "get_calls" (arg (bytes "DIDL\00\00")))      (expect reply (bytes "DIDL\00\01\7d\07"))

;; a trapping update leaves nothing behind
(update "add_then_trap" (arg (bytes "DIDL\00\01\7d\05")))  (expect trap)
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\f8\4f"))
(query "get_calls" (arg (bytes "DIDL\00\00")))      (expect reply (bytes "DIDL\00\01\7d\07"))

;; upgrade: pre_upgrade writes the stable variables to stable memory,
;; post_upgrade reads them back; the transient one starts over
(upgrade $counter (arg (bytes "DIDL\00\00")))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\f8\4f"))
(query "get_calls" (arg (bytes "DIDL\00\00")))      (expect reply (bytes "DIDL\00\01\7d\00"))
(query "get_preupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\f9\4f"))

;; skip_pre_upgrade: nothing is written, and post_upgrade finds stable
;; memory emptied by the last read (Motoko clears it once deserialized):
;; it traps, the upgrade fails as a whole, and the old instance goes on
(upgrade $counter (arg (bytes "DIDL\00\00")) (skip_pre_upgrade true))
(expect install-rejected explicit-trap)
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\f9\4f"))
(query "get_calls" (arg (bytes "DIDL\00\00")))      (expect reply (bytes "DIDL\00\01\7d\01"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\01"))

;; an upgrade with pre_upgrade works again
(upgrade $counter (arg (bytes "DIDL\00\00")) (skip_pre_upgrade false))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\f9\4f"))
(query "get_preupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\02"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\02"))

;; reinstall: everything starts over
(reinstall $counter (arg (bytes "DIDL\00\00")))
(query "get" (arg (bytes "DIDL\00\00")))            (expect reply (bytes "DIDL\00\01\7d\00"))
(query "get_postupgrades" (arg (bytes "DIDL\00\00"))) (expect reply (bytes "DIDL\00\01\7d\00"))
(update "inc" (arg (bytes "DIDL\00\00")))           (expect reply (bytes "DIDL\00\01\7d\01"))
