(vector "wasm_memory_threshold exists since interface spec 0.34.0: update_settings refuses it before, accepts it since"
  (rules LOW-2)
  (history low-memory-hook)
  (tags settings low-memory history)
  (notes "(history low-memory-hook): the vector also runs where the profile"
         "lacks feature.low_memory_hook, and checks that update_settings"
         "refuses the field there (category unsupported). The module does"
         "not export the hook, which would be refused before 0.34.0"
         "(low-memory/hook-export-arrived-in-0-34)."))

(module $c
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 34))))

(install $c)
(settings (wasm_memory_threshold page))
(expect one-of
  (before-0.34 reject canister-error unsupported)
  (since-0.34 reply))
(query "hello")   (expect reply (i32 34))
