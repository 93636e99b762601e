(vector "after uninstall the canister holds no heap and no stable memory, seen from outside; reading zero bytes of them works"
  (rules UNI-1 SM-6 HEAP-2)
  (tags lifecycle)
  (notes "An empty canister answers no query, so only the probes can see"
         "what it holds."))

(module $c
  (memory 1)
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 2)))
    (i64.store (i32.const 100) (i64.const 7))
    (call $ic0.stable64_write (i64.const 0) (i64.const 100) (i64.const 8))))

(probe stable-size)          (expect reply (i64 0))
(probe heap-size)            (expect reply (i64 0))
(install $c)
(probe stable-size)          (expect reply (i64 2))
(probe stable-bytes 0 8)     (expect reply (i64 7))
(uninstall)
(probe stable-size)          (expect reply (i64 0))
(probe heap-size)            (expect reply (i64 0))
(probe stable-bytes 0 0)     (expect reply (bytes ""))
(probe heap-bytes 0 0)       (expect reply (bytes ""))
