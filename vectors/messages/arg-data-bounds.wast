(vector "msg_arg_data_copy copies the call's argument; a zero-length copy at its end works, one byte past traps"
  (rules MSG-ARG-1 COPY-1 COPY-5 EDGE-ZERO EDGE-OVF)
  (tags messages boundary))

;; The argument of every call below is 8 bytes; offset+size is checked
;; against those 8 bytes without wrap-around.
(module $c
  (memory 1)
  (global $calls (mut i64) (i64.const 0))
  (func $count
    (global.set $calls (i64.add (global.get $calls) (i64.const 1))))
  (func (export "canister_update size")
    (call $count)
    (call $reply_i32 (call $ic0.msg_arg_data_size)))
  ;; copy (offset, size) of the argument to heap 100, reply with it
  (func $copy (param $offset i32) (param $size i32)
    (call $count)
    (call $ic0.msg_arg_data_copy (i32.const 100) (local.get $offset) (local.get $size))
    (call $reply_data (i32.const 100) (local.get $size)))
  (func (export "canister_update whole") (call $copy (i32.const 0) (i32.const 8)))
  (func (export "canister_update tail") (call $copy (i32.const 6) (i32.const 2)))
  (func (export "canister_update empty-at-end") (call $copy (i32.const 8) (i32.const 0)))
  (func (export "canister_update empty-past-end") (call $copy (i32.const 9) (i32.const 0)))
  (func (export "canister_update one-past-end") (call $copy (i32.const 1) (i32.const 8)))
  ;; 0xFFFFFFFF + 2 wraps to 1 in 32 bits: must still trap
  (func (export "canister_update wrapping")
    (call $count)
    (call $ic0.msg_arg_data_copy (i32.const 100) (i32.const -1) (i32.const 2))
    (call $reply_empty))
  (func (export "canister_query calls")
    (call $reply_i64 (global.get $calls))))

(install $c)
(update "size" (arg (bytes "abcdefgh")))            (expect reply (i32 8))
(update "whole" (arg (bytes "abcdefgh")))           (expect reply (text "abcdefgh"))
(update "tail" (arg (bytes "abcdefgh")))            (expect reply (text "gh"))
(update "empty-at-end" (arg (bytes "abcdefgh")))    (expect reply (bytes ""))
(update "empty-past-end" (arg (bytes "abcdefgh")))  (expect trap contract-violation)
(update "one-past-end" (arg (bytes "abcdefgh")))    (expect trap contract-violation)
(update "wrapping" (arg (bytes "abcdefgh")))        (expect trap contract-violation)
;; only the four successful updates counted
(query "calls")                                     (expect reply (i64 4))
