(vector "a wasm64 canister loading an uploaded snapshot: a heap over the module's maximum fails as IC0521, a hook status that contradicts the condition is refused, and a consistent one loads"
  (rules SNAP-8 EDGE-SNAPSHOT-SIZES)
  (requires snapshot-data low-memory-hook wasm-memory-limit)
  (tags snapshots wasm64 low-memory regression)
  (notes "The load's checks do not depend on the index type: dfinity/ic#10593"
         "(the replica panicked on an uploaded heap over the declared"
         "maximum; now IC0521, here wasm-engine) and dfinity/ic#5556 (an"
         "uploaded hook status is checked against the real condition). With"
         "wasm_memory_limit 3 pages and threshold 2 pages a heap of 2 pages"
         "meets the condition (3 < 2 + 2). A refused load leaves the"
         "canister as it was."))

(module $c
  (memory i64 1 2)
  (func (export "canister_on_low_wasm_memory"))
  (func (export "canister_query size")
    (call $reply_i64 (memory.size))))

(install $c)
(settings (wasm_memory_limit (* 3 65536)) (wasm_memory_threshold (* 2 65536)))
;; 3 pages into (memory i64 1 2)
(upload-snapshot-metadata $over (wasm_module_size $c) (wasm_memory_size 196608))
(upload-snapshot-data $over module $c)
(load-snapshot $over)                 (expect reject canister-error wasm-engine)
(query "size")                        (expect reply (i64 1))
;; 2 pages meet the condition: "not satisfied" is a lie
(upload-snapshot-metadata $lie (wasm_module_size $c) (wasm_memory_size 131072)
  (hook_status condition-not-satisfied))
(upload-snapshot-data $lie module $c)
(load-snapshot $lie)                  (expect reject canister-error snapshot-hook-status)
(query "size")                        (expect reply (i64 1))
;; the same heap with a status that agrees loads
(upload-snapshot-metadata $ok (wasm_module_size $c) (wasm_memory_size 131072)
  (hook_status executed) (replace $over))
(upload-snapshot-data $ok module $c)
(load-snapshot $ok)
(query "size")                        (expect reply (i64 2))
