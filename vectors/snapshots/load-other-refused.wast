(vector "loading another canister's snapshot is refused as loading one's own is: unknown id, globals that do not fit the module; a refused load changes nothing"
  (rules SNAP-9 SNAP-2)
  (requires snapshot-data)
  (tags snapshots)
  (notes "The id is looked up among the source canister's snapshots: one it"
         "deleted is not found, and neither is the target's own id given as"
         "the source's. The snapshot's globals are checked against the"
         "snapshot's module (Formal model), whichever canister loads it."))

(module $c
  (memory 1)
  (global $a (mut i32) (i32.const 1))
  (global $b (mut i64) (i64.const 2))
  (func (export "canister_query get")
    (call $append_i32 (global.get $a))
    (call $append_i64 (global.get $b))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
(on $b (install $c))
;; globals that do not fit $c, uploaded to the first canister
(upload-snapshot-metadata $few (wasm_module_size $c) (wasm_memory_size 65536) (globals (i32 5)))
(upload-snapshot-data $few module $c)
(on $b (load-snapshot $few))          (expect reject canister-error snapshot-globals)
(upload-snapshot-metadata $types (wasm_module_size $c) (wasm_memory_size 65536) (globals (i64 5) (i64 6)))
(upload-snapshot-data $types module $c)
(on $b (load-snapshot $types))        (expect reject canister-error snapshot-globals)
(on $b (query "get"))                 (expect reply (i32 1) (i64 2) (i64 1))
;; a deleted snapshot of the source is not found
(take-snapshot $gone)
(delete-snapshot $gone)
(on $b (load-snapshot $gone))         (expect reject canister-error snapshot-not-found)
(on $b (query "get"))                 (expect reply (i32 1) (i64 2) (i64 1))
;; fitting globals load, onto the other canister only
(upload-snapshot-metadata $ok (wasm_module_size $c) (wasm_memory_size 65536) (globals (i32 5) (i64 6)))
(upload-snapshot-data $ok module $c)
(on $b (load-snapshot $ok))
(on $b (query "get"))                 (expect reply (i32 5) (i64 6) (i64 2))
(query "get")                         (expect reply (i32 1) (i64 2) (i64 1))
(list-snapshots)                      (expect reply (i64 3))
(on $b (list-snapshots))              (expect reply (i64 0))
