(vector "stable64_read checks both ranges exactly: at the end succeeds, one past traps, zero length at the end works, sums never wrap"
  (rules SM64-READ-2 EDGE-ZERO EDGE-OVF COPY-4 COPY-5)
  (tags boundary))

(module $c
  (memory 1)
  (global $reads (mut i64) (i64.const 0))
  (data (i32.const 100) "ABCDEFGH")
  (func (export "canister_init")
    ;; one stable page whose last 8 bytes are "ABCDEFGH"
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 65528) (i64.const 100) (i64.const 8)))
  ;; argument: dst (i64), offset (i64), size (i64). Counts itself first,
  ;; so a trap has something to undo.
  (func (export "canister_update read")
    (global.set $reads (i64.add (global.get $reads) (i64.const 1)))
    (call $ic0.stable64_read (call $arg_i64 (i32.const 0))
                             (call $arg_i64 (i32.const 8))
                             (call $arg_i64 (i32.const 16)))
    (call $reply_empty))
  ;; committed reads, heap [65528, 65536), stable size
  (func (export "canister_query state")
    (call $append_i64 (global.get $reads))
    (call $ic0.msg_reply_data_append (i32.const 65528) (i32.const 8))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.msg_reply)))

(install $c)
;; the stable side: last 8 bytes into heap 1000, then one byte too far
(update "read" (arg (i64 1000) (i64 65528) (i64 8)))  (expect reply)
(update "read" (arg (i64 1000) (i64 65529) (i64 8)))  (expect trap stable-out-of-bounds)
(update "read" (arg (i64 1000) (i64 65536) (i64 0)))  (expect reply)
(update "read" (arg (i64 1000) (i64 65537) (i64 0)))  (expect trap stable-out-of-bounds)
(update "read" (arg (i64 1000) (i64 -1) (i64 2)))     (expect trap stable-out-of-bounds)
;; the heap side: the last 8 heap bytes, then one byte too far (nothing
;; of the 7 bytes in range may land)
(update "read" (arg (i64 65529) (i64 65528) (i64 8)))  (expect trap heap-out-of-bounds)
(query "state")  (expect reply (i64 2) (bytes "\00\00\00\00\00\00\00\00") (i64 1))
(update "read" (arg (i64 65528) (i64 65528) (i64 8)))  (expect reply)
(update "read" (arg (i64 65536) (i64 0) (i64 0)))     (expect reply)
(update "read" (arg (i64 65537) (i64 0) (i64 0)))     (expect trap heap-out-of-bounds)
(update "read" (arg (i64 -1) (i64 0) (i64 2)))        (expect trap heap-out-of-bounds)
(query "state")  (expect reply (i64 4) (text "ABCDEFGH") (i64 1))
