(vector "wasm_memory_persistence exists since interface spec 0.25.0: keep is refused before, keeps the heap since"
  (rules EOP-1)
  (history wasm-memory-persistence)
  (tags lifecycle history)
  (notes "(history wasm-memory-persistence): the vector also runs where the"
         "profile lacks feature.wasm_memory_persistence, and checks that the"
         "option is refused there (category unsupported) and the old code"
         "and heap stay. Before 0.25.0 the EOP custom section is just a"
         "custom section."))

(module $classic
  (memory 1)
  (func (export "canister_update put")
    (i64.store (i32.const 100) (call $arg_i64 (i32.const 0)))
    (call $reply_empty))
  (func (export "canister_query get")
    (call $reply_i64 (i64.load (i32.const 100)))))

(module $eop
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_query kept")
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $classic)
(update "put" (arg i64 31337))
(upgrade $eop (wasm_memory_persistence keep))
(expect one-of
  (before-0.25 install-rejected unsupported)
  (since-0.25 reply))
(query "kept")
(expect one-of
  (before-0.25 reject destination-invalid method-not-found)
  (since-0.25 reply (i64 31337)))
(query "get")
(expect one-of
  (before-0.25 reply (i64 31337))
  (since-0.25 reject destination-invalid method-not-found))
