(vector "stable64_grow returns the previous size; new pages read as zeros"
  (rules SM64-GROW-1 SM64-SIZE-1 SM-2 SM-3)
  (tags basic))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size)))
  ;; the 8 stable bytes at the offset given, through heap bytes [16, 24)
  (func (export "canister_query read")
    (call $ic0.stable64_read (i64.const 16) (call $arg_i64 (i32.const 0))
                             (i64.const 8))
    (call $reply_data (i32.const 16) (i32.const 8))))

(install $c)
(query "size")               (expect reply (i64 0))
(update "grow" (arg i64 3))  (expect reply (i64 0))
(update "grow" (arg i64 2))  (expect reply (i64 3))
(query "size")               (expect reply (i64 5))
(query "read" (arg i64 (- (* 5 page) 8)))
(expect reply (i64 0))
