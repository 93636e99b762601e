(vector "wasm_memory_threshold takes any value up to 2^64 - 1"
  (rules LIM-SET-1 LOW-2)
  (tags settings boundary))

(module $c
  (memory 1)
  (func (export "canister_query version")
    (call $reply_i64 (call $ic0.canister_version))))

(install $c)
(settings (wasm_memory_threshold 0xFFFF_FFFF_FFFF_FFFF))
(settings (wasm_memory_threshold 0))
(query "version")   (expect reply (i64 3))
