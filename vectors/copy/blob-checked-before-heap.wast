(vector "when both the blob range and the heap range are out of bounds, the blob range is reported"
  (rules COPY-7)
  (tags copy)
  (notes "The formal copy_to_canister checks offset+size against the blob"
         "first; both orders trap, only the reason differs."))

(module $c
  (memory 1)
  (func (export "canister_update copy")
    ;; argument of 0 bytes: offset 1 is past it, dst 65536 + 1 past the heap
    (call $ic0.msg_arg_data_copy (i32.const 65536) (i32.const 1) (i32.const 1))
    (call $reply_empty)))

(install $c)
(update "copy")  (expect trap contract-violation)
