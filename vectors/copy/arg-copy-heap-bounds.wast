(vector "msg_arg_data_copy: dst+size up to the heap's end succeeds, one past it traps"
  (rules COPY-1 COPY-5 EDGE-ZERO)
  (tags boundary copy))

(module $c
  (memory 1)
  ;; argument: dst i32, size i32; copies from argument offset 0
  (func (export "canister_update copy")
    (call $ic0.msg_arg_data_copy (call $arg_i32 (i32.const 0)) (i32.const 0)
                                 (call $arg_i32 (i32.const 4)))
    (call $reply_empty))
  (func (export "canister_query last8")
    (call $reply_i64 (i64.load (i32.const 65528)))))

(install $c)
;; the 8-byte argument into the last 8 heap bytes
(update "copy" (arg (i32 65528) (i32 8)))
(query "last8")  (expect reply (i64 0x00000008_0000fff8))
(update "copy" (arg (i32 65529) (i32 8)))  (expect trap heap-out-of-bounds)
;; zero bytes at the very end succeed; one past the end traps
(update "copy" (arg (i32 65536) (i32 0)))  (expect reply)
(update "copy" (arg (i32 65537) (i32 0)))  (expect trap heap-out-of-bounds)
(query "last8")  (expect reply (i64 0x00000008_0000fff8))
