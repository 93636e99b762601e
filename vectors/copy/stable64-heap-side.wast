(vector "stable64_read and stable64_write: the heap range up to its end succeeds, one past traps"
  (rules COPY-1 COPY-2 COPY-5 EDGE-ZERO SM64-READ-2 SM64-WRITE-2)
  (tags boundary copy))

(module $c
  (memory 1)
  (data (i32.const 65528) "tail-end")
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  ;; argument: heap address i64, size i64; stable offset 0
  (func (export "canister_update write")
    (call $ic0.stable64_write (i64.const 0) (call $arg_i64 (i32.const 0))
                              (call $arg_i64 (i32.const 8)))
    (call $reply_empty))
  (func (export "canister_update read")
    (call $ic0.stable64_read (call $arg_i64 (i32.const 0)) (i64.const 0)
                             (call $arg_i64 (i32.const 8)))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $ic0.stable64_read (i64.const 64) (i64.const 0) (i64.const 8))
    (call $ic0.msg_reply_data_append (i32.const 64) (i32.const 8))
    (call $ic0.msg_reply_data_append (i32.const 65528) (i32.const 8))
    (call $ic0.msg_reply)))

(install $c)
;; write: source range ends exactly at the heap's end
(update "write" (arg (i64 65528) (i64 8)))
(query "state")  (expect reply (text "tail-end") (text "tail-end"))
(update "write" (arg (i64 65529) (i64 8)))  (expect trap heap-out-of-bounds)
(update "write" (arg (i64 65536) (i64 0)))  (expect reply)
(update "write" (arg (i64 65537) (i64 0)))  (expect trap heap-out-of-bounds)
(update "write" (arg (i64 -1) (i64 2)))     (expect trap heap-out-of-bounds)
;; read: destination range ends exactly at the heap's end
(update "read" (arg (i64 65528) (i64 8)))
(update "read" (arg (i64 65529) (i64 8)))   (expect trap heap-out-of-bounds)
(update "read" (arg (i64 65536) (i64 0)))   (expect reply)
(update "read" (arg (i64 65537) (i64 0)))   (expect trap heap-out-of-bounds)
(update "read" (arg (i64 -1) (i64 2)))      (expect trap heap-out-of-bounds)
;; nothing changed on either side
(query "state")  (expect reply (text "tail-end") (text "tail-end"))
