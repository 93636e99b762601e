(vector "wasm_memory_limit is 0..2^48 inclusive and wasm_memory_threshold at most 2^48 since spec 0.64.0; before, 2^48 - 1 and 2^64 - 1"
  (rules LIM-SET-1 HEAP-4 LOW-2)
  (tags settings boundary)
  (notes "Spec 0.64.0 (2026-07-06) wrote the limit's range as 0..2^48"
         "inclusive to match the replica (dfinity/ic PR #10574) and bounded"
         "the threshold by 2^48 (it took any 64-bit value)."))

(module $c
  (memory 1)
  (func (export "canister_query version")
    (call $reply_i64 (call $ic0.canister_version))))

(install $c)
(settings (wasm_memory_limit 0x1_0000_0000_0000))
(expect one-of
  (since-0.64 reply)
  (before-0.64 reject canister-error invalid-settings))
(settings (wasm_memory_limit 0x1_0000_0000_0001))
(expect reject canister-error invalid-settings)
(settings (wasm_memory_threshold 0x1_0000_0000_0000))
(settings (wasm_memory_threshold 0x1_0000_0000_0001))
(expect one-of
  (since-0.64 reject canister-error invalid-settings)
  (before-0.64 reply))
(settings (wasm_memory_threshold 0xFFFF_FFFF_FFFF_FFFF))
(expect one-of
  (since-0.64 reject canister-error invalid-settings)
  (before-0.64 reply))
;; a refused setting changes nothing, not even the version
(settings (wasm_memory_threshold 0))
(query "version")
(expect one-of
  (since-0.64 reply (i64 4))
  (before-0.64 reply (i64 5)))
