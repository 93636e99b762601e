(vector "wasm_memory_threshold takes any value up to max_wasm_memory_threshold; a refusal above it changes nothing"
  (rules LIM-SET-1 LOW-2)
  (tags settings boundary))

(module $c
  (memory 1)
  (func (export "canister_query version")
    (call $reply_i64 (call $ic0.canister_version))))

(install $c)
(settings (wasm_memory_threshold max_wasm_memory_threshold))
(settings (wasm_memory_threshold 0xFFFF_FFFF_FFFF_FFFF))
(expect one-of
  (since-0.64 reject canister-error invalid-settings)
  (before-0.64 reply))
(settings (wasm_memory_threshold 0))
(query "version")
(expect one-of
  (since-0.64 reply (i64 3))
  (before-0.64 reply (i64 4)))
