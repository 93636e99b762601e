(vector "msg_caller_copy: the caller's bytes up to its size succeed, one past traps"
  (rules COPY-1 COPY-5 EDGE-ZERO MSG-CALLER-1)
  (tags boundary copy)
  (notes "Offsets are given relative to msg_caller_size, so the vector does"
         "not depend on the runtime's choice of caller."))

(module $c
  (memory 1)
  ;; argument: delta i32 (offset = caller size + delta), size i32;
  ;; copies to heap 64
  (func (export "canister_query copy")
    (call $ic0.msg_caller_copy
      (i32.const 64)
      (i32.add (call $ic0.msg_caller_size) (call $arg_i32 (i32.const 0)))
      (call $arg_i32 (i32.const 4)))
    (call $reply_empty)))

(install $c)
(query "copy" (arg (i32 -1) (i32 1)))  (expect reply)
(query "copy" (arg (i32 -1) (i32 2)))  (expect trap contract-violation)
(query "copy" (arg (i32 0) (i32 0)))   (expect reply)
(query "copy" (arg (i32 1) (i32 0)))   (expect trap contract-violation)
