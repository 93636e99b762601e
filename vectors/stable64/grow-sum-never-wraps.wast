(vector "stable64_grow computes old + new_pages without wrap-around: a request that wraps to a small size returns -1"
  (rules SM64-GROW-3 SM64-GROW-4 EDGE-GROWARG EDGE-OVF SM-5)
  (tags boundary)
  (notes "With 2 pages, 2^64 - 1 more wraps to 1 page and 2^64 - 2 to 0:"
         "a naive check passes and the memory would shrink."))

(module $c
  (memory 1)
  (data (i32.const 100) "survives")
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_update fill")
    (call $ic0.stable64_write (i64.const 65536) (i64.const 100) (i64.const 8))
    (call $reply_empty))
  ;; size, then the first 8 bytes of page 1
  (func (export "canister_query state")
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.stable64_read (i64.const 200) (i64.const 65536) (i64.const 8))
    (call $ic0.msg_reply_data_append (i32.const 200) (i32.const 8))
    (call $ic0.msg_reply)))

(install $c)
(update "grow" (arg i64 2))   (expect reply (i64 0))
(update "fill")               (expect reply)
(update "grow" (arg i64 -1))  (expect reply (i64 -1))
(update "grow" (arg i64 -2))  (expect reply (i64 -1))
;; 2^63 pages: the sum fits in 64 bits but is far past any maximum
(update "grow" (arg i64 0x8000000000000000))  (expect reply (i64 -1))
(query "state")               (expect reply (i64 2) (text "survives"))
;; growing by zero pages reports the size and changes nothing
(update "grow" (arg i64 0))   (expect reply (i64 2))
(query "state")               (expect reply (i64 2) (text "survives"))
