(vector "wasm_memory_limit exists since interface spec 0.25.0: update_settings refuses it before, and it limits updates since"
  (rules HEAP-4)
  (history wasm-memory-limit)
  (tags settings history)
  (notes "(history wasm-memory-limit): the vector also runs where the profile"
         "lacks feature.wasm_memory_limit, and checks that update_settings"
         "refuses the field there (category unsupported) and sets no"
         "limit."))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $c)
(settings (wasm_memory_limit (* 2 page)))
(expect one-of
  (before-0.25 reject canister-error unsupported)
  (since-0.25 reply))
(update "grow" (arg i32 2))
(expect one-of
  (before-0.25 reply (i32 1))
  (since-0.25 trap wasm-memory-limit))
(query "size")
(expect one-of
  (before-0.25 reply (i32 3))
  (since-0.25 reply (i32 1)))
