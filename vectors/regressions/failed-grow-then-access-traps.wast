(vector "regression caffeinelabs/motoko#4147: after stable64_grow answers -1 the size is unchanged and an access past it traps"
  (rules SM64-GROW-2 SM64-GROW-4 SM64-READ-2)
  (tags regression stable64 boundary)
  (notes "caffeinelabs/motoko#4147 (repro) and #4145 (fix, 2023-07):"
         "region_grow ignored a -1 from ic0.stable64_grow, believed the"
         "memory had grown, and later hit 'stable memory out of bounds'. A"
         "runtime that grows part of the way, or reports -1 but grows, fails"
         "here: the size must stay as it was and the page past it must trap."))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size)))
  ;; read 8 bytes at 64 KiB page n
  (func (export "canister_query read_page")
    (call $ic0.stable64_read (i64.const 100)
                             (i64.mul (call $arg_i64 (i32.const 0)) (i64.const 65536))
                             (i64.const 8))
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $c)
(update "grow" (arg i64 2))                              (expect reply (i64 0))
(update "grow" (arg i64 (- (pages max_stable_memory) 1))) (expect reply (i64 -1))
(query "size")                                           (expect reply (i64 2))
(query "read_page" (arg i64 1))                          (expect reply (i64 0))
(query "read_page" (arg i64 2))                          (expect trap stable-out-of-bounds)
