(vector "two trapping updates in a row that write the same stable and heap pages both roll back; a third, committed write lands"
  (rules TXN-1 SM-6)
  (tags transactions stable)
  (notes "Each rollback must leave the journal ready for the next message:"
         "a runtime that believes the page is still journaled from the"
         "rolled-back message lets the second trapping write through."))

(module $c
  (memory 1)
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 1))))
  ;; writes the argument's i64 to heap [200] and stable [8], then traps
  ;; unless the argument is 0
  (func (export "canister_update write")
    (local $v i64)
    (local.set $v (call $arg_i64 (i32.const 0)))
    (i64.store (i32.const 200) (i64.add (local.get $v) (i64.const 1)))
    (call $ic0.stable64_write (i64.const 8) (i64.const 200) (i64.const 8))
    (if (i64.ne (local.get $v) (i64.const 0)) (then (unreachable)))
    (call $reply_empty))
  (func (export "canister_query read")
    (call $ic0.stable64_read (i64.const 300) (i64.const 8) (i64.const 8))
    (call $append_i64 (i64.load (i32.const 200)))
    (call $append_i64 (i64.load (i32.const 300)))
    (call $ic0.msg_reply)))

(install $c)
(update "write" (arg i64 5))   (expect trap unreachable)
(update "write" (arg i64 6))   (expect trap unreachable)
(query "read")                 (expect reply (i64 0) (i64 0))
(update "write" (arg i64 0))
(update "write" (arg i64 7))   (expect trap unreachable)
(update "write" (arg i64 8))   (expect trap unreachable)
(query "read")                 (expect reply (i64 1) (i64 1))
