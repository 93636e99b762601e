(vector "a module whose declared minimum exceeds the heap maximum is refused, one at the maximum installs"
  (rules HEAP-3 LIM-HEAP-1)
  (tags boundary module)
  (notes "Meaningful where max_heap_wasm32 is below 4 GiB (small-limits);"
         "elsewhere 65,537 pages is invalid WebAssembly as well."))

(module $at_max
  (memory 32)
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(module $above_max
  (memory 33)
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

;; the step outcome depends on whether 33 pages exceed the profile maximum
(install $above_max)
(expect one-of
  (above-maximum install-rejected module-memory)
  (within-maximum reply))
(reinstall $at_max)
(query "size")  (expect reply (i32 32))
