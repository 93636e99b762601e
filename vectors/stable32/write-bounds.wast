(vector "stable_write bounds: at the end succeeds, one past traps on either range, zero length at the end works, 32-bit sums never wrap"
  (rules SM32-WRITE-3 EDGE-ZERO EDGE-OVF COPY-4 COPY-5)
  (tags boundary)
  (notes "Each out-of-bounds case leaves the other range valid, so the"
         "check order does not matter here (see write-check-order)."))

(module $c
  (memory 1)
  (global $writes (mut i64) (i64.const 0))
  (data (i32.const 100) "ABCDEFGH")
  (data (i32.const 65528) "abcdefgh")
  (func (export "canister_init")
    (drop (call $ic0.stable_grow (i32.const 1))))
  ;; argument: offset, src, size (i32 each). Counts itself and marks the
  ;; heap first, so a trap has something to undo.
  (func (export "canister_update write")
    (global.set $writes (i64.add (global.get $writes) (i64.const 1)))
    (i64.store (i32.const 200) (global.get $writes))
    (call $ic0.stable_write (call $arg_i32 (i32.const 0))
                            (call $arg_i32 (i32.const 4))
                            (call $arg_i32 (i32.const 8)))
    (call $reply_empty))
  ;; committed writes, the heap mark, stable size, stable [0, 8), stable [65528, 65536)
  (func (export "canister_query state")
    (call $append_i64 (global.get $writes))
    (call $append_i64 (i64.load (i32.const 200)))
    (call $append_i32 (call $ic0.stable_size))
    (call $ic0.stable_read (i32.const 300) (i32.const 0) (i32.const 8))
    (call $ic0.stable_read (i32.const 308) (i32.const 65528) (i32.const 8))
    (call $ic0.msg_reply_data_append (i32.const 300) (i32.const 16))
    (call $ic0.msg_reply)))

(install $c)
;; stable range: the last 8 bytes, then one byte further
(update "write" (arg (i32 65528) (i32 100) (i32 8)))  (expect reply)
(update "write" (arg (i32 65529) (i32 100) (i32 8)))  (expect trap stable-out-of-bounds)
(update "write" (arg (i32 65536) (i32 100) (i32 0)))  (expect reply)
(update "write" (arg (i32 65537) (i32 100) (i32 0)))  (expect trap stable-out-of-bounds)
;; offset + size wraps to 1 in 32 bits
(update "write" (arg (i32 0xffffffff) (i32 100) (i32 2)))  (expect trap stable-out-of-bounds)
(query "state")
(expect reply (i64 2) (i64 2) (i32 1) (bytes "\00\00\00\00\00\00\00\00") (text "ABCDEFGH"))
;; heap range: the last 8 heap bytes, then one byte further
(update "write" (arg (i32 0) (i32 65528) (i32 8)))  (expect reply)
(update "write" (arg (i32 0) (i32 65529) (i32 8)))  (expect trap heap-out-of-bounds)
(update "write" (arg (i32 0) (i32 65536) (i32 0)))  (expect reply)
(update "write" (arg (i32 0) (i32 65537) (i32 0)))  (expect trap heap-out-of-bounds)
;; src + size wraps to 1 in 32 bits
(update "write" (arg (i32 0) (i32 0xffffffff) (i32 2)))  (expect trap heap-out-of-bounds)
(query "state")
(expect reply (i64 4) (i64 4) (i32 1) (text "abcdefgh") (text "ABCDEFGH"))
