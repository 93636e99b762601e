(vector "canister_self_copy: bounds of the canister id blob and of the heap"
  (rules COPY-1 COPY-5 EDGE-ZERO)
  (tags boundary copy))

(module $c
  (memory 1)
  ;; argument: dst i32, offset i32, size i32
  (func (export "canister_query copy")
    (call $ic0.canister_self_copy (call $arg_i32 (i32.const 0))
                                  (call $arg_i32 (i32.const 4))
                                  (call $arg_i32 (i32.const 8)))
    (call $reply_i32 (call $ic0.canister_self_size))))

(install $c)
(query "copy" (arg (i32 64) (i32 0) (i32 0)))  (expect reply (i32 10))
;; blob side: the 10-byte id
(query "copy" (arg (i32 64) (i32 0) (i32 10)))  (expect reply (i32 10))
(query "copy" (arg (i32 64) (i32 0) (i32 11)))  (expect trap contract-violation)
(query "copy" (arg (i32 64) (i32 10) (i32 0)))  (expect reply (i32 10))
(query "copy" (arg (i32 64) (i32 11) (i32 0)))  (expect trap contract-violation)
;; heap side
(query "copy" (arg (i32 65526) (i32 0) (i32 10)))  (expect reply (i32 10))
(query "copy" (arg (i32 65527) (i32 0) (i32 10)))  (expect trap heap-out-of-bounds)
