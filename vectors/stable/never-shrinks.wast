(vector "nothing shrinks stable memory: huge or negative-looking grow arguments, zero growth and trapped growth leave the size"
  (rules SM-5 EDGE-GROWARG SM32-GROW-3 SM64-GROW-3 TXN-1)
  (tags boundary))

(module $c
  (memory 1)
  (func (export "canister_update grow32")
    (call $reply_i32 (call $ic0.stable_grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_update grow64")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  ;; grows by the argument, then traps
  (func (export "canister_update grow64-then-trap")
    (drop (call $ic0.stable64_grow (call $arg_i64 (i32.const 0))))
    (unreachable))
  (func (export "canister_query size64")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(update "grow64" (arg i64 4))           (expect reply (i64 0))
;; -1, -4 and 2^31 as i32; -1 and -4 as i64: all unsigned, all too big
(update "grow32" (arg i32 -1))          (expect reply (i32 -1))
(update "grow32" (arg i32 -4))          (expect reply (i32 -1))
(update "grow32" (arg i32 0x80000000))  (expect reply (i32 -1))
(update "grow64" (arg i64 -1))          (expect reply (i64 -1))
(update "grow64" (arg i64 -4))          (expect reply (i64 -1))
(update "grow32" (arg i32 0))           (expect reply (i32 4))
(update "grow64" (arg i64 0))           (expect reply (i64 4))
(update "grow64-then-trap" (arg i64 3)) (expect trap unreachable)
(query "size64")                        (expect reply (i64 4))
