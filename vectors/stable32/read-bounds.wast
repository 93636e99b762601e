(vector "stable_read bounds: at the end succeeds, one past traps on either range, zero length at the end works, 32-bit sums never wrap"
  (rules SM32-READ-3 EDGE-ZERO EDGE-OVF COPY-4 COPY-5)
  (tags boundary))

(module $c
  (memory 1)
  (global $reads (mut i64) (i64.const 0))
  (data (i32.const 100) "ABCDEFGH")
  (func (export "canister_init")
    ;; one stable page ending in "ABCDEFGH"
    (drop (call $ic0.stable_grow (i32.const 1)))
    (call $ic0.stable_write (i32.const 65528) (i32.const 100) (i32.const 8)))
  ;; argument: dst, offset, size (i32 each); counts itself first
  (func (export "canister_update read")
    (global.set $reads (i64.add (global.get $reads) (i64.const 1)))
    (call $ic0.stable_read (call $arg_i32 (i32.const 0))
                           (call $arg_i32 (i32.const 4))
                           (call $arg_i32 (i32.const 8)))
    (call $reply_empty))
  ;; committed reads, heap [1000, 1008), heap [65528, 65536)
  (func (export "canister_query state")
    (call $append_i64 (global.get $reads))
    (call $ic0.msg_reply_data_append (i32.const 1000) (i32.const 8))
    (call $ic0.msg_reply_data_append (i32.const 65528) (i32.const 8))
    (call $ic0.msg_reply)))

(install $c)
;; stable range
(update "read" (arg (i32 1000) (i32 65529) (i32 8)))  (expect trap stable-out-of-bounds)
(update "read" (arg (i32 1000) (i32 65536) (i32 0)))  (expect reply)
(update "read" (arg (i32 1000) (i32 65537) (i32 0)))  (expect trap stable-out-of-bounds)
(update "read" (arg (i32 1000) (i32 0xffffffff) (i32 2)))  (expect trap stable-out-of-bounds)
(query "state")  (expect reply (i64 1) (bytes "\00\00\00\00\00\00\00\00") (bytes "\00\00\00\00\00\00\00\00"))
(update "read" (arg (i32 1000) (i32 65528) (i32 8)))  (expect reply)
;; heap range
(update "read" (arg (i32 65529) (i32 65528) (i32 8)))  (expect trap heap-out-of-bounds)
(update "read" (arg (i32 65536) (i32 0) (i32 0)))      (expect reply)
(update "read" (arg (i32 65537) (i32 0) (i32 0)))      (expect trap heap-out-of-bounds)
(update "read" (arg (i32 0xffffffff) (i32 0) (i32 2)))  (expect trap heap-out-of-bounds)
(query "state")  (expect reply (i64 3) (text "ABCDEFGH") (bytes "\00\00\00\00\00\00\00\00"))
(update "read" (arg (i32 65528) (i32 65528) (i32 8)))  (expect reply)
(query "state")  (expect reply (i64 4) (text "ABCDEFGH") (text "ABCDEFGH"))
