(vector "update_settings accepts a limit equal to the heap and up to max_wasm_memory_limit, refuses one byte less or more, and a refusal changes nothing"
  (rules HEAP-6 LIM-SET-1 HEAP-4)
  (tags settings boundary))

(module $c
  (memory 2)
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (i32.const 1))))
  (func (export "canister_query version")
    (call $reply_i64 (call $ic0.canister_version))))

(install $c)
(settings (wasm_memory_limit (- (* 2 page) 1)))   (expect reject canister-error invalid-settings)
(settings (wasm_memory_limit (* 2 page)))
(settings (wasm_memory_limit max_wasm_memory_limit))
(settings (wasm_memory_limit (+ max_wasm_memory_limit 1)))
(expect reject canister-error invalid-settings)
;; install 1, two accepted settings 2 and 3; the refused ones count nothing
(query "version")                                   (expect reply (i64 3))
;; the limit in force is still max_wasm_memory_limit, not the refused one
(update "grow")                                     (expect reply (i32 2))
(settings (wasm_memory_limit (* 3 page)))
(update "grow")                                     (expect trap wasm-memory-limit)
(settings (wasm_memory_limit (* 2 page)))           (expect reject canister-error invalid-settings)
;; 0 means no limit
(settings (wasm_memory_limit 0))
(update "grow")                                     (expect reply (i32 3))
