(vector "msg_reject reads its message from the heap: src+size past the heap traps"
  (rules COPY-2 COPY-5 EDGE-ZERO MSG-REJECT-1)
  (tags boundary copy))

(module $c
  (memory 1)
  (data (i32.const 65533) "end")
  ;; argument: src i32, size i32
  (func (export "canister_update reject")
    (call $ic0.msg_reject (call $arg_i32 (i32.const 0))
                          (call $arg_i32 (i32.const 4)))))

(install $c)
(update "reject" (arg (i32 65533) (i32 3)))  (expect reject canister-reject (text "end"))
(update "reject" (arg (i32 65533) (i32 4)))  (expect trap heap-out-of-bounds)
(update "reject" (arg (i32 65536) (i32 0)))  (expect reject canister-reject (text ""))
(update "reject" (arg (i32 65537) (i32 0)))  (expect trap heap-out-of-bounds)
(update "reject" (arg (i32 0xFFFFFFFF) (i32 2)))  (expect trap heap-out-of-bounds)
