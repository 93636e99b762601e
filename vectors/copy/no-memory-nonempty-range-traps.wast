(vector "without a memory, any range other than [0, 0) traps under every reading"
  (rules COPY-6 EDGE-NOMEM)
  (tags copy))

;; no memory, so no helper that reads the argument: one method per range
(module $c
  (func (export "canister_update one-byte-at-0")
    (call $ic0.msg_reply_data_append (i32.const 0) (i32.const 1))
    (call $ic0.msg_reply))
  (func (export "canister_update zero-bytes-at-1")
    (call $ic0.msg_reply_data_append (i32.const 1) (i32.const 0))
    (call $ic0.msg_reply))
  (func (export "canister_update arg-to-heap")
    (call $ic0.msg_arg_data_copy (i32.const 0) (i32.const 0) (i32.const 1))
    (call $ic0.msg_reply))
  (func (export "canister_update stable-from-heap")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 0) (i64.const 1))
    (call $ic0.msg_reply)))

(install $c)
(update "one-byte-at-0")          (expect trap heap-out-of-bounds)
(update "zero-bytes-at-1")        (expect trap heap-out-of-bounds)
(update "arg-to-heap" (arg i32 7))  (expect trap heap-out-of-bounds)
(update "stable-from-heap")       (expect trap heap-out-of-bounds)
;; the stable growth before the trap was rolled back
(probe stable-size)               (expect reply (i64 0))
