(vector "canister_on_low_wasm_memory is an entry point since interface spec 0.34.0: a reserved name before"
  (rules LOW-1 MOD-EXP-1 MOD-EXP-3)
  (tags low-memory history)
  (notes "The module only exports the hook; nothing runs it, so the vector"
         "does not need the low-memory-hook capability. Before 0.34.0 the"
         "name is one more canister_ export that is not an entry point."))

(module $c
  (memory 1)
  (func (export "canister_on_low_wasm_memory"))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 34))))

(install $c)
(expect one-of
  (before-0.34 install-rejected module-export)
  (since-0.34 reply))
(query "hello")
(expect one-of
  (before-0.34 reject destination-invalid canister-empty)
  (since-0.34 reply (i32 34)))
