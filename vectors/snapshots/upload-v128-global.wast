(vector "an uploaded snapshot may carry a v128 global: it is accepted, read back with both halves, type-checked on load and restored by it"
  (rules SNAP-1 SNAP-2 SNAP-3)
  (requires snapshot-data simd)
  (tags snapshots simd)
  (notes "A snapshot holds the values of the globals that are exported or"
         "mutable (management-canister.md), and the globals of"
         "upload_canister_snapshot_metadata are a variant of i32, i64,"
         "f32, f64 and v128 (ic.did, 0.47.0), so a v128 global is a valid"
         "upload; loading checks its type against the module's (SNAP-2)."
         "The value is given as its low and high 64 bits."))

(module $c
  (memory 1)
  (global $n (mut i32) (i32.const 1))
  (global $v (mut v128) (v128.const i64x2 2 3))
  (func (export "canister_query get")
    (call $append_i32 (global.get $n))
    (v128.store (i32.const 64) (global.get $v))
    (call $ic0.msg_reply_data_append (i32.const 64) (i32.const 16))
    (call $ic0.msg_reply)))

(install $c)
(upload-snapshot-metadata $u (wasm_module_size $c) (wasm_memory_size 65536)
  (globals (i32 7) (v128 0x1122334455667788 0x99aabbccddeeff00)))
(snapshot-metadata $u global 1)         (expect reply (i32 5) (i64 0x1122334455667788) (i64 0x99aabbccddeeff00))
(upload-snapshot-data $u module $c)
(upload-snapshot-metadata $wide (wasm_module_size $c) (wasm_memory_size 65536)
  (globals (v128 7 0) (v128 1 2)))
(upload-snapshot-data $wide module $c)
(load-snapshot $wide)                   (expect reject canister-error snapshot-globals)
(upload-snapshot-metadata $narrow (wasm_module_size $c) (wasm_memory_size 65536)
  (globals (i32 7) (i64 1)))
(upload-snapshot-data $narrow module $c)
(load-snapshot $narrow)                 (expect reject canister-error snapshot-globals)
(query "get")                           (expect reply (i32 1) (i64 2) (i64 3))
(load-snapshot $u)
(query "get")                           (expect reply (i32 7) (i64 0x1122334455667788) (i64 0x99aabbccddeeff00))
