(vector "wasm32 copy bounds never wrap around: offset+size and dst+size are computed without overflow"
  (rules COPY-4 EDGE-OVF)
  (tags boundary copy))

(module $c
  (memory 1)
  ;; argument: dst, offset, size (i32 each)
  (func (export "canister_update copy")
    (call $ic0.msg_arg_data_copy (call $arg_i32 (i32.const 0))
                                 (call $arg_i32 (i32.const 4))
                                 (call $arg_i32 (i32.const 8)))
    (call $reply_empty)))

(install $c)
;; 0xFFFFFFFF + 2 wraps to 1 in 32 bits, inside the 12-byte argument
(update "copy" (arg (i32 0) (i32 0xFFFFFFFF) (i32 2)))  (expect trap contract-violation)
;; 0xFFFFFFFF + 1 wraps to 0, inside the heap
(update "copy" (arg (i32 0xFFFFFFFF) (i32 0) (i32 1)))  (expect trap heap-out-of-bounds)
;; a huge size: wraps nowhere, but both ends are far out
(update "copy" (arg (i32 1) (i32 0) (i32 0xFFFFFFFF)))  (expect trap contract-violation)
;; (an unsigned reading: 0x80000000 is 2 GiB, not negative)
(update "copy" (arg (i32 0x80000000) (i32 0) (i32 0)))  (expect trap heap-out-of-bounds)
