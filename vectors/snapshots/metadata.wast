(vector "a taken snapshot's metadata: source, version, sizes in bytes, globals exported or mutable, certified data, timer, hook status; data reads back"
  (rules SNAP-1 SNAP-3 SNAP-7)
  (requires snapshot-data system-tasks wasm-memory-limit)
  (tags snapshots)
  (notes "read_canister_snapshot_metadata (0.47.0) returns the globals that"
         "are exported or mutable, in index order: here the mutable $n and"
         "the exported constant $k, not the private constant $hidden."))

(module $c
  (memory 2)
  (data (i32.const 70000) "heap-bytes")
  (global $hidden i32 (i32.const 99))
  (global $n (mut i64) (i64.const 5))
  (global $k (export "k") i32 (i32.const 42))
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 65530) (i64.const 70000) (i64.const 6))
    (call $ic0.certified_data_set (i32.const 70000) (i32.const 4))
    (drop (call $ic0.global_timer_set (i64.const 1800000000000000000))))
  (func (export "canister_global_timer"))
  (func (export "canister_update bump")
    (global.set $n (i64.add (global.get $n) (i64.const 1)))
    (call $reply_empty)))

(install $c)
;; a limit, so the hook's condition does not depend on EDGE-LOWCAP
(settings (wasm_memory_limit (* 100 65536)))
(update "bump")
(take-snapshot $s)
(snapshot-metadata $s source)             (expect reply (i32 1))
;; install, settings and one update: version 3, as when taken
(snapshot-metadata $s canister_version)   (expect reply (i64 3))
(snapshot-metadata $s module_is $c)      (expect reply (i32 1))
(snapshot-metadata $s wasm_memory_size)   (expect reply (i64 131072))
(snapshot-metadata $s stable_memory_size) (expect reply (i64 65536))
(snapshot-metadata $s globals)            (expect reply (i64 2))
(snapshot-metadata $s global 0)           (expect reply (i32 2) (i64 6))
(snapshot-metadata $s global 1)           (expect reply (i32 1) (i64 42))
(snapshot-metadata $s certified_data)     (expect reply (text "heap"))
(snapshot-metadata $s global_timer)       (expect reply (i32 1) (i64 1800000000000000000))
(snapshot-metadata $s hook_status)        (expect reply (i32 1))
(snapshot-data $s heap 70000 10)          (expect reply (text "heap-bytes"))
(snapshot-data $s stable 65530 6)         (expect reply (text "heap-b"))
(snapshot-data $s module 0 4)             (expect reply (bytes "\00asm"))
;; an offset counts from the module's first byte: the version after the magic
(snapshot-data $s module 4 4)             (expect reply (bytes "\01\00\00\00"))
;; offset + size within the metadata's sizes (SNAP-7)
(snapshot-data $s heap 131072 0)          (expect reply (bytes ""))
(snapshot-data $s heap 131070 3)          (expect reject canister-error snapshot-range)
(snapshot-data $s stable 65536 1)         (expect reject canister-error snapshot-range)
(snapshot-data $s heap 0xffffffffffffffff 2) (expect reject canister-error snapshot-range)
;; a taken snapshot's data cannot be changed
(upload-snapshot-data $s heap 0 (text "x")) (expect reject canister-error snapshot-not-uploaded)
(snapshot-metadata $gone source)          (expect reject canister-error snapshot-not-found)
