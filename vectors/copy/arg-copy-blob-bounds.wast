(vector "msg_arg_data_copy: offset+size up to the argument's end succeeds, one past it traps"
  (rules COPY-1 COPY-5 EDGE-ZERO MSG-ARG-1)
  (tags boundary copy)
  (notes "The argument is the 12 bytes (offset, size, marker). A blob range"
         "out of bounds is a contract violation in the reference's terms."))

(module $c
  (memory 1)
  (global $calls (mut i32) (i32.const 0))
  ;; argument: offset i32, size i32, then 4 more bytes; copies to heap 64
  (func (export "canister_update copy")
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call $ic0.msg_arg_data_copy (i32.const 64)
                                 (call $arg_i32 (i32.const 0))
                                 (call $arg_i32 (i32.const 4)))
    (call $reply_data (i32.const 64) (call $arg_i32 (i32.const 4))))
  (func (export "canister_query calls")
    (call $reply_i32 (global.get $calls))))

(install $c)
;; the whole argument, then its last byte
(update "copy" (arg (i32 0) (i32 12) (i32 0x44434241)))
(expect reply (bytes "\00\00\00\00\0c\00\00\00ABCD"))
(update "copy" (arg (i32 11) (i32 1) (i32 0x44434241)))  (expect reply (bytes "D"))
;; one byte past the end
(update "copy" (arg (i32 11) (i32 2) (i32 0)))   (expect trap contract-violation)
(update "copy" (arg (i32 0) (i32 13) (i32 0)))   (expect trap contract-violation)
;; zero bytes at the very end succeed; one past the end traps
(update "copy" (arg (i32 12) (i32 0) (i32 0)))   (expect reply)
(update "copy" (arg (i32 13) (i32 0) (i32 0)))   (expect trap contract-violation)
;; the trapped calls left no trace: 3 committed updates
(query "calls")  (expect reply (i32 3))
