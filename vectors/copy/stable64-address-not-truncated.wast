(vector "in a wasm32 canister the i64 heap address of stable64_read is not truncated to 32 bits"
  (rules SM64-W32-1 COPY-4)
  (tags boundary copy)
  (notes "2^32 + 64 truncates to 64, which is inside the heap: the call must"
         "trap, and heap byte 64 must stay as it was."))

(module $c
  (memory 1)
  (data (i32.const 64) "original")
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  ;; argument: heap address i64
  (func (export "canister_update read")
    (call $ic0.stable64_read (call $arg_i64 (i32.const 0)) (i64.const 0)
                             (i64.const 8))
    (call $reply_empty))
  (func (export "canister_update write")
    (call $ic0.stable64_write (i64.const 0) (call $arg_i64 (i32.const 0))
                              (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query heap64")
    (call $reply_data (i32.const 64) (i32.const 8)))
  (func (export "canister_query stable0")
    (call $ic0.stable64_read (i64.const 128) (i64.const 0) (i64.const 8))
    (call $reply_data (i32.const 128) (i32.const 8))))

(install $c)
(update "read" (arg i64 0x100000040))   (expect trap heap-out-of-bounds)
(update "write" (arg i64 0x100000040))  (expect trap heap-out-of-bounds)
(query "heap64")   (expect reply (text "original"))
(query "stable0")  (expect reply (bytes "\00\00\00\00\00\00\00\00"))
