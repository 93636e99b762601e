(vector "a heap page and a stable page are both 65,536 bytes"
  (rules LIM-PAGE-1 SM-3 HEAP-3)
  (tags boundary))

(module $c
  (memory 1)
  (func (export "canister_update grow-both")
    (drop (memory.grow (i32.const 1)))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $reply_empty))
  ;; argument: address i32; a one-byte load from the heap
  (func (export "canister_query heap-byte")
    (call $reply_i32 (i32.load8_u (call $arg_i32 (i32.const 0)))))
  ;; argument: offset i64; a one-byte stable read
  (func (export "canister_query stable-byte")
    (call $ic0.stable64_read (i64.const 16) (call $arg_i64 (i32.const 0))
                             (i64.const 1))
    (call $reply_i32 (i32.load8_u (i32.const 16)))))

(install $c)
(update "grow-both")
(query "heap-byte" (arg i32 131071))    (expect reply (i32 0))
(query "heap-byte" (arg i32 131072))    (expect trap heap-out-of-bounds)
(query "stable-byte" (arg i64 65535))   (expect reply (i32 0))
(query "stable-byte" (arg i64 65536))   (expect trap stable-out-of-bounds)
