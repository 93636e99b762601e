(vector "msg_reply_data_append: src+size up to the heap's end succeeds, one past it traps, no wrap-around"
  (rules COPY-2 COPY-4 COPY-5 EDGE-ZERO EDGE-OVF MSG-REPLY-APPEND-1)
  (tags boundary copy))

(module $c
  (memory 1)
  (data (i32.const 65535) "Z")
  ;; argument: src i32, size i32
  (func (export "canister_query append")
    (call $ic0.msg_reply_data_append (call $arg_i32 (i32.const 0))
                                     (call $arg_i32 (i32.const 4)))
    (call $ic0.msg_reply)))

(install $c)
(query "append" (arg (i32 65535) (i32 1)))  (expect reply (bytes "Z"))
(query "append" (arg (i32 65535) (i32 2)))  (expect trap heap-out-of-bounds)
(query "append" (arg (i32 65536) (i32 0)))  (expect reply)
(query "append" (arg (i32 65537) (i32 0)))  (expect trap heap-out-of-bounds)
;; 0xFFFFFFFF + 2 wraps to 1 in 32 bits
(query "append" (arg (i32 0xFFFFFFFF) (i32 2)))  (expect trap heap-out-of-bounds)
(query "append" (arg (i32 2) (i32 0xFFFFFFFF)))  (expect trap heap-out-of-bounds)
