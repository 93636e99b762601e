(vector "inspect_message sees the name of the called method: its exact size and bytes"
  (rules MSG-INSPECT-1 COPY-1 COPY-5)
  (requires inspect-message)
  (tags messages boundary))

;; Accepts when the method name is exactly "transfer" (8 bytes); also checks
;; that copying 0 bytes at the end works and 1 byte past it traps.
(module $c
  (memory 1)
  (data (i32.const 100) "transfer")
  (func (export "canister_inspect_message")
    (if (i32.ne (call $ic0.msg_method_name_size) (i32.const 8))
      (then (return)))
    (call $ic0.msg_method_name_copy (i32.const 200) (i32.const 0) (i32.const 8))
    (if (i64.ne (i64.load (i32.const 200)) (i64.load (i32.const 100)))
      (then (return)))
    (call $ic0.msg_method_name_copy (i32.const 200) (i32.const 8) (i32.const 0))
    (call $ic0.accept_message)
    ;; the argument asks for the copy one byte past the end
    (if (call $arg_i32 (i32.const 0))
      (then (call $ic0.msg_method_name_copy (i32.const 200) (i32.const 1) (i32.const 8)))))
  (func (export "canister_update transfer") (call $reply_empty))
  (func (export "canister_update transfers") (call $reply_empty)))

(install $c)
(inspect-message "transfer" (arg i32 0))    (expect reply)
(inspect-message "transfers" (arg i32 0))   (expect reject canister-reject message-not-accepted)
(inspect-message "transfer" (arg i32 1))    (expect trap contract-violation)
