(vector "msg_caller_info_data_copy and msg_caller_info_signer_copy trap when offset + size passes the (empty) data or dst + size the heap"
  (rules MSG-CALLER-INFO-1 COPY-1 COPY-2)
  (tags copy boundary)
  (notes "The model's caller is never authenticated by a canister"
         "signature: both blobs are empty (size 0). Copying 0 bytes from"
         "offset 0 to the heap's end works; offset 1, size 1, or a"
         "destination one byte past the heap trap."))

(module $c
  (memory 1)
  (func (export "canister_update copy")
    (local $which i32) (local $dst i32) (local $offset i32) (local $size i32)
    (call $ic0.msg_arg_data_copy (i32.const 100) (i32.const 0) (i32.const 16))
    (local.set $which (i32.load (i32.const 100)))
    (local.set $dst (i32.load (i32.const 104)))
    (local.set $offset (i32.load (i32.const 108)))
    (local.set $size (i32.load (i32.const 112)))
    (if (local.get $which)
      (then (call $ic0.msg_caller_info_signer_copy
              (local.get $dst) (local.get $offset) (local.get $size)))
      (else (call $ic0.msg_caller_info_data_copy
              (local.get $dst) (local.get $offset) (local.get $size))))
    (call $reply_i32 (call $ic0.msg_caller_info_data_size))))

(install $c)
;; data (0), then signer (1): (which dst offset size)
(update "copy" (arg (i32 0) (i32 page) (i32 0) (i32 0)))   (expect reply (i32 0))
(update "copy" (arg (i32 0) (i32 0) (i32 0) (i32 1)))      (expect trap contract-violation)
(update "copy" (arg (i32 0) (i32 0) (i32 1) (i32 0)))      (expect trap contract-violation)
(update "copy" (arg (i32 0) (i32 (+ page 1)) (i32 0) (i32 0)))  (expect trap heap-out-of-bounds)
(update "copy" (arg (i32 1) (i32 page) (i32 0) (i32 0)))   (expect reply (i32 0))
(update "copy" (arg (i32 1) (i32 0) (i32 0) (i32 1)))      (expect trap contract-violation)
(update "copy" (arg (i32 1) (i32 0) (i32 1) (i32 0)))      (expect trap contract-violation)
(update "copy" (arg (i32 1) (i32 (+ page 1)) (i32 0) (i32 0)))  (expect trap heap-out-of-bounds)
