(vector "msg_cycles_available128 and msg_cycles_accept128 write 16 little-endian bytes that must all lie inside the heap"
  (rules COPY-3)
  (tags boundary copy)
  (notes "An ingress update carries no cycles, so both amounts are 0;"
         "the bytes are preset to 0xff so that the write shows. The reply"
         "is always the heap's last 16 bytes (where the in-bounds case"
         "writes), so a trap can only come from the call under test."))

(module $c
  (memory 1)
  ;; argument: dst i32
  (func $preset (param $dst i32)
    (memory.fill (local.get $dst) (i32.const 0xff) (i32.const 16)))
  (func (export "canister_update available")
    (local $dst i32)
    (local.set $dst (call $arg_i32 (i32.const 0)))
    (if (i32.le_u (local.get $dst) (i32.const 65520))
      (then (call $preset (local.get $dst))))
    (call $ic0.msg_cycles_available128 (local.get $dst))
    (call $reply_data (i32.const 65520) (i32.const 16)))
  (func (export "canister_update accept")
    (local $dst i32)
    (local.set $dst (call $arg_i32 (i32.const 0)))
    (if (i32.le_u (local.get $dst) (i32.const 65520))
      (then (call $preset (local.get $dst))))
    ;; accept at most 2^64 + 5 cycles: high word 1, low word 5
    (call $ic0.msg_cycles_accept128 (i64.const 1) (i64.const 5) (local.get $dst))
    (call $reply_data (i32.const 65520) (i32.const 16))))

(install $c)
;; the last 16 bytes of the heap: fine
(update "available" (arg i32 65520))      (expect reply (i64 0) (i64 0))
(update "accept" (arg i32 65520))         (expect reply (i64 0) (i64 0))
;; one byte further: the 16th byte is outside
(update "available" (arg i32 65521))      (expect trap heap-out-of-bounds)
(update "accept" (arg i32 65521))         (expect trap heap-out-of-bounds)
;; dst + 16 wraps around in 32 bits: still out of bounds
(update "available" (arg i32 0xFFFFFFF8)) (expect trap heap-out-of-bounds)
(update "accept" (arg i32 0xFFFFFFF8))    (expect trap heap-out-of-bounds)
