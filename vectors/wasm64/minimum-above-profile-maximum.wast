(vector "a memory64 module whose declared minimum exceeds max_heap_wasm64 is refused"
  (rules EDGE-W64HEAP LIM-HEAP-2 W64-6)
  (tags wasm64 boundary module)
  (notes "49 pages exceed small-limits' 48-page maximum and fit the 6 GiB"
         "of ic-current; a declared minimum cannot be written symbolically."))

(module $above_small
  (memory i64 49)
  (func (export "canister_query size")
    (call $reply_i64 (memory.size))))

(module $at_small
  (memory i64 48)
  (func (export "canister_query size")
    (call $reply_i64 (memory.size))))

(install $above_small)
(expect one-of
  (above-maximum install-rejected module-memory)
  (within-maximum reply))
(reinstall $at_small)
(query "size")  (expect reply (i64 48))
