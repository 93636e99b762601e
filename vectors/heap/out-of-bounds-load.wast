(vector "a load that ends past the heap traps with heap-out-of-bounds"
  (rules HEAP-3 LIM-PAGE-1)
  (tags boundary))

(module $c
  (memory 1)
  (func (export "canister_query load")
    (call $reply_i32 (i32.load (call $arg_i32 (i32.const 0))))))

(install $c)
(query "load" (arg i32 65532))  (expect reply (i32 0))
(query "load" (arg i32 65533))  (expect trap heap-out-of-bounds)
