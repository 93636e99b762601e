(vector "a canister without memory: its snapshot has a heap of 0 bytes; an uploaded heap for it cannot be loaded"
  (rules SNAP-1 SNAP-3 EDGE-SNAPSHOT-SIZES)
  (requires snapshot-data)
  (tags snapshots edge)
  (notes "A module need not declare a memory. Its snapshot holds no heap;"
         "uploaded metadata may still give one, which no instance of the"
         "module can take."))

(module $c
  (global $n (mut i64) (i64.const 9))
  (func (export "canister_update set")
    (global.set $n (i64.const 10))))

(install $c)
(take-snapshot $s)
(snapshot-metadata $s wasm_memory_size) (expect reply (i64 0))
(snapshot-metadata $s global 0)         (expect reply (i32 2) (i64 9))
(update "set")                          (expect no-reply)
(load-snapshot $s)
(take-snapshot $t)
(snapshot-metadata $t global 0)         (expect reply (i32 2) (i64 9))
(upload-snapshot-metadata $u (wasm_module_size $c) (wasm_memory_size 65536) (globals (i64 1)))
(upload-snapshot-data $u module $c)
(load-snapshot $u)                      (expect reject canister-error snapshot-sizes)
