(vector "is_controller reads its principal from the heap: a range past the end traps"
  (rules COPY-2 COPY-5)
  (tags boundary copy))

(module $c
  (memory 1)
  ;; argument: src i32, size i32
  (func (export "canister_query check")
    (call $reply_i32 (call $ic0.is_controller (call $arg_i32 (i32.const 0))
                                              (call $arg_i32 (i32.const 4))))))

(install $c)
;; in bounds: 29 zero bytes are not the controller
(query "check" (arg (i32 65507) (i32 29)))  (expect reply (i32 0))
(query "check" (arg (i32 65508) (i32 29)))  (expect trap heap-out-of-bounds)
(query "check" (arg (i32 0xFFFFFFFF) (i32 2)))  (expect trap heap-out-of-bounds)
