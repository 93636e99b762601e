(vector "a new canister's wasm_memory_limit: none (the spec's default 0), or 3 GiB (the replica's default for new canisters)"
  (rules HEAP-4 LIM-SET-1)
  (tags settings ambiguous)
  (notes "The spec says the default is 0, no limit, and that the default"
         "may change. The replica gives new canisters 3 GiB"
         "(DEFAULT_WASM_MEMORY_LIMIT, rs/config execution_environment.rs);"
         "existing ones got max(3 GiB, (usage + 4 GiB) / 2). The heap grows"
         "to 3 GiB + 1 page where the heap maximum allows it (only page"
         "counts change; no page is touched)."))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0))))))

(install $c)
(update "grow" (arg (i32 (min (pages 3GiB) (- (pages max_heap_wasm32) 1)))))
(expect one-of
  (default-none reply (i32 1))
  (default-3gib trap wasm-memory-limit))
