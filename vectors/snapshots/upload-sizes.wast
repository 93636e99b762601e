(vector "loading an uploaded snapshot whose sizes no canister can have: not whole pages, below the module's minimum, above its maximum (IC0521)"
  (rules SNAP-3 EDGE-SNAPSHOT-SIZES)
  (requires snapshot-data)
  (tags snapshots edge regression)
  (notes "Uploaded sizes are bytes; the spec does not say what a load does"
         "with sizes a canister cannot have. The replica validates them at"
         "load (dfinity/ic#11118) and fails a heap beyond the module's"
         "declared maximum with IC0521 (dfinity/ic#10593, #10783; it"
         "panicked before). A refused load leaves the canister as it was."
         "The uploaded module, like the memories (SNAP-3: they start as"
         "zeros), reads as zeros until data arrives (docs/adapter-abi.md,"
         "upload_snapshot_metadata)."))

(module $c
  (memory 1 1)
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(module $big
  (memory 2)
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $c)
;; 100 bytes: uploadable, readable, not loadable
(upload-snapshot-metadata $odd (wasm_module_size $c) (wasm_memory_size 100))
(upload-snapshot-data $odd module $c)
(snapshot-data $odd heap 96 4)            (expect reply (bytes "\00\00\00\00"))
(snapshot-data $odd heap 97 4)            (expect reject canister-error snapshot-range)
(load-snapshot $odd)                      (expect reject canister-error snapshot-sizes)
;; stable memory likewise
(upload-snapshot-metadata $odd2 (wasm_module_size $c) (wasm_memory_size 65536) (stable_memory_size 1000))
(upload-snapshot-data $odd2 module $c)
;; its last bytes take data; one past them is out of range
(upload-snapshot-data $odd2 stable 996 (text "abcd"))
(snapshot-data $odd2 stable 996 4)        (expect reply (text "abcd"))
(upload-snapshot-data $odd2 stable 997 (text "abcd")) (expect reject canister-error snapshot-range)
(load-snapshot $odd2)                     (expect reject canister-error snapshot-sizes)
;; 2 pages into (memory 1 1): IC0521
(upload-snapshot-metadata $over (wasm_module_size $c) (wasm_memory_size 131072))
(upload-snapshot-data $over module $c)
(load-snapshot $over)                     (expect reject canister-error wasm-engine)
;; 1 page for a module that starts with 2
(upload-snapshot-metadata $under (wasm_module_size $big) (wasm_memory_size 65536))
(upload-snapshot-data $under module $big)
(load-snapshot $under)                    (expect reject canister-error snapshot-sizes)
;; a module never uploaded: zeros are no module
(upload-snapshot-metadata $nomod (wasm_module_size 8) (wasm_memory_size 65536))
(snapshot-data $nomod module 0 8)        (expect reply (bytes "\00\00\00\00\00\00\00\00"))
(load-snapshot $nomod)                    (expect reject canister-error invalid-module)
(query "size")                            (expect reply (i32 1))
