(vector "in a wasm32 canister the i64 heap addresses of stable64_* are not truncated to 32 bits"
  (rules SM64-W32-1 W64-2 SM64-READ-2 SM64-WRITE-2)
  (tags boundary)
  (notes "2^32 + 8 truncates to 8, a valid address of the one-page heap;"
         "the spec's sums are over naturals, so it is out of bounds."))

(module $c
  (memory 1)
  (data (i32.const 8) "in-range")
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  ;; argument: a heap address (i64); stable 0..8 := heap[address..]
  (func (export "canister_update write-from")
    (call $ic0.stable64_write (i64.const 0) (call $arg_i64 (i32.const 0))
                              (i64.const 8))
    (call $reply_empty))
  ;; argument: a heap address (i64); heap[address..] := stable 0..8
  (func (export "canister_update read-into")
    (call $ic0.stable64_read (call $arg_i64 (i32.const 0)) (i64.const 0)
                             (i64.const 8))
    (call $reply_empty))
  (func (export "canister_query stable8")
    (call $ic0.stable64_read (i64.const 100) (i64.const 0) (i64.const 8))
    (call $reply_data (i32.const 100) (i32.const 8))))

(install $c)
(update "write-from" (arg i64 0x100000008))  (expect trap heap-out-of-bounds)
(update "read-into" (arg i64 0x100000008))   (expect trap heap-out-of-bounds)
(update "write-from" (arg i64 0x8000000000000008))  (expect trap heap-out-of-bounds)
;; nothing was copied; the truncated address itself is fine
(query "stable8")                   (expect reply (bytes "\00\00\00\00\00\00\00\00"))
(update "write-from" (arg i64 16))  (expect reply)
(query "stable8")                   (expect reply (bytes "\00\00\00\00\00\00\00\00"))
