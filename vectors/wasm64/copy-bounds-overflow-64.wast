(vector "memory64 copy bounds are checked without 64-bit wrap-around"
  (rules COPY-4 EDGE-OVF W64-1)
  (tags wasm64 boundary))

(module $c
  (memory i64 1)
  ;; argument: dst, offset, size (three i64)
  (func (export "canister_update arg-copy")
    (call $ic0.msg_arg_data_copy (call $arg_i64 (i32.const 0))
                                 (call $arg_i64 (i32.const 8))
                                 (call $arg_i64 (i32.const 16)))
    (call $reply_empty))
  ;; argument: src, size
  (func (export "canister_update append")
    (call $ic0.msg_reply_data_append (call $arg_i64 (i32.const 0))
                                     (call $arg_i64 (i32.const 8)))
    (call $ic0.msg_reply)))

(install $c)
;; the argument is 24 bytes; 2^64 - 1 + 2 wraps to 1
(update "arg-copy" (arg (i64 0) (i64 -1) (i64 2)))
(expect trap contract-violation)
(update "arg-copy" (arg (i64 -1) (i64 0) (i64 2)))
(expect trap heap-out-of-bounds)
(update "append" (arg (i64 -1) (i64 2)))   (expect trap heap-out-of-bounds)
(update "append" (arg (i64 2) (i64 -1)))   (expect trap heap-out-of-bounds)
;; in bounds at the very end still works
(update "append" (arg (i64 65535) (i64 1)))  (expect reply (bytes "\00"))
(update "append" (arg (i64 65536) (i64 0)))  (expect reply)
(update "append" (arg (i64 65537) (i64 0)))  (expect trap heap-out-of-bounds)
