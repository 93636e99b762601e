(vector "in wasm64 a heap range whose end passes 2^64 traps: dst or src + size is not computed modulo 2^64"
  (rules COPY-4 COPY-2 EDGE-OVF)
  (tags wasm64 copy overflow boundary)
  (notes "A bounds check written as addr + size <= heap with a wrapping"
         "add lets addr = 2^64 - 1, size = 2 through (the sum is 1). Each"
         "call names such a range on the heap side."))

(module $c
  (memory i64 1)
  (func (export "canister_update run")
    (local $which i64)
    (local.set $which (call $arg_i64 (i32.const 0)))
    (if (i64.eq (local.get $which) (i64.const 0))
      (then (call $ic0.msg_reply_data_append (i64.const -1) (i64.const 2))))
    (if (i64.eq (local.get $which) (i64.const 1))
      (then (call $ic0.msg_arg_data_copy (i64.const -1) (i64.const 0) (i64.const 2))))
    (if (i64.eq (local.get $which) (i64.const 2))
      (then (call $ic0.certified_data_set (i64.const -8) (i64.const 16))))
    (if (i64.eq (local.get $which) (i64.const 3))
      (then (call $ic0.msg_caller_copy (i64.const -1) (i64.const 0) (i64.const 2))))
    (if (i64.eq (local.get $which) (i64.const 4))
      (then (call $ic0.debug_print (i64.const -1) (i64.const 2))))
    (call $reply_i64 (local.get $which))))

(install $c)
(update "run" (arg i64 0))   (expect trap heap-out-of-bounds)
(update "run" (arg i64 1))   (expect trap heap-out-of-bounds)
(update "run" (arg i64 2))   (expect trap heap-out-of-bounds)
(update "run" (arg i64 3))   (expect trap heap-out-of-bounds)
;; debug_print never traps, whatever the range (COPY-2 exempts it)
(update "run" (arg i64 4))   (expect reply (i64 4))
