(vector "stable64_write checks the heap range exactly: the last heap byte is readable, one past it traps, sums never wrap"
  (rules SM64-WRITE-2 EDGE-ZERO EDGE-OVF COPY-4 COPY-5)
  (tags boundary))

;; The stable range is always [0, size) inside the one stable page, so
;; only the heap range can be out of bounds: no check-order question.
(module $c
  (memory 1)
  (global $writes (mut i64) (i64.const 0))
  (data (i32.const 65528) "ABCDEFGH")
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  ;; argument: src (i64), size (i64); copies heap[src, src+size) to stable 0.
  ;; Counts itself and marks heap 200 first, so a trap has something to undo.
  (func (export "canister_update write")
    (global.set $writes (i64.add (global.get $writes) (i64.const 1)))
    (i64.store (i32.const 200) (global.get $writes))
    (call $ic0.stable64_write (i64.const 0) (call $arg_i64 (i32.const 0))
                              (call $arg_i64 (i32.const 8)))
    (call $reply_empty))
  ;; committed writes, the heap mark, stable size, stable bytes [0, 8)
  (func (export "canister_query state")
    (call $append_i64 (global.get $writes))
    (call $append_i64 (i64.load (i32.const 200)))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.stable64_read (i64.const 300) (i64.const 0) (i64.const 8))
    (call $ic0.msg_reply_data_append (i32.const 300) (i32.const 8))
    (call $ic0.msg_reply)))

(install $c)
;; the last 8 heap bytes
(update "write" (arg (i64 65528) (i64 8)))  (expect reply)
(query "state")  (expect reply (i64 1) (i64 1) (i64 1) (text "ABCDEFGH"))
;; one byte past the heap: traps, and the 7 bytes in range are not copied
(update "write" (arg (i64 65529) (i64 8)))  (expect trap heap-out-of-bounds)
;; zero bytes at the very end of the heap work; one past the end does not
(update "write" (arg (i64 65536) (i64 0)))  (expect reply)
(update "write" (arg (i64 65537) (i64 0)))  (expect trap heap-out-of-bounds)
;; src + size wraps to 1 (and to 0) in 64 bits: still out of bounds
(update "write" (arg (i64 -1) (i64 2)))     (expect trap heap-out-of-bounds)
(update "write" (arg (i64 -2) (i64 2)))     (expect trap heap-out-of-bounds)
;; only the two successful writes left a trace
(query "state")  (expect reply (i64 2) (i64 2) (i64 1) (text "ABCDEFGH"))
