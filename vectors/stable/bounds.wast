(vector "stable64_write bounds: the last byte is writable, one past it traps, sums never wrap"
  (rules SM64-WRITE-2 EDGE-ZERO EDGE-OVF)
  (tags boundary))

(module $c
  (memory 1)
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  ;; argument: offset (i64), size (i64); writes from heap 0
  (func (export "canister_update write")
    (call $ic0.stable64_write (call $arg_i64 (i32.const 0)) (i64.const 64)
                              (call $arg_i64 (i32.const 8)))
    (call $reply_empty)))

(install $c)
(update "write" (arg (i64 65535) (i64 1)))  (expect reply)
(update "write" (arg (i64 65535) (i64 2)))  (expect trap stable-out-of-bounds)
;; zero bytes at the very end are fine, one past the end is not
(update "write" (arg (i64 65536) (i64 0)))  (expect reply)
(update "write" (arg (i64 65537) (i64 0)))  (expect trap stable-out-of-bounds)
;; offset + size overflows 64 bits: still out of bounds
(update "write" (arg (i64 -1) (i64 2)))     (expect trap stable-out-of-bounds)
