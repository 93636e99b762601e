(vector "loading a snapshot checks its globals against the module's, in number and type"
  (rules SNAP-2)
  (requires snapshot-data)
  (tags snapshots)
  (notes "The Formal model requires |globals| and each type to match the"
         "module's (its loop has a typo: notes §20.26). A refused load"
         "changes nothing."))

(module $c
  (memory 1)
  (global $a (mut i32) (i32.const 1))
  (global $b (mut i64) (i64.const 2))
  (func (export "canister_query get")
    (call $append_i32 (global.get $a))
    (call $append_i64 (global.get $b))
    (call $ic0.msg_reply)))

(install $c)
(upload-snapshot-metadata $few (wasm_module_size $c) (wasm_memory_size 65536) (globals (i32 5)))
(upload-snapshot-data $few module $c)
(load-snapshot $few)                      (expect reject canister-error snapshot-globals)
(upload-snapshot-metadata $types (wasm_module_size $c) (wasm_memory_size 65536) (globals (i64 5) (i64 6)))
(upload-snapshot-data $types module $c)
(load-snapshot $types)                    (expect reject canister-error snapshot-globals)
(upload-snapshot-metadata $floats (wasm_module_size $c) (wasm_memory_size 65536) (globals (f32 5) (i64 6)))
(upload-snapshot-data $floats module $c)
(load-snapshot $floats)                   (expect reject canister-error snapshot-globals)
(query "get")                             (expect reply (i32 1) (i64 2))
(upload-snapshot-metadata $ok (wasm_module_size $c) (wasm_memory_size 65536) (globals (i32 5) (i64 6)))
(upload-snapshot-data $ok module $c)
(load-snapshot $ok)
(query "get")                             (expect reply (i32 5) (i64 6))
