(vector "stable memory grows to exactly the profile's max_stable_memory; one more page returns -1"
  (rules LIM-SM-1 EDGE-SMLIMIT SM-2 SM64-GROW-2)
  (tags boundary)
  (notes "The spec only links to the documented limit (8, 32, ... 500 GiB"
         "over time): the profile's max_stable_memory. Stable memory is"
         "sparse in the reference, so 500 GiB costs nothing."))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  ;; write and read back the last 8 bytes
  (func (export "canister_update last8")
    (local $at i64)
    (local.set $at (i64.sub (i64.mul (call $ic0.stable64_size) (i64.const 65536))
                            (i64.const 8)))
    (i64.store (i32.const 16) (i64.const 0x5ab1e))
    (call $ic0.stable64_write (local.get $at) (i64.const 16) (i64.const 8))
    (call $ic0.stable64_read (i64.const 24) (local.get $at) (i64.const 8))
    (call $reply_i64 (i64.load (i32.const 24))))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(update "grow" (arg i64 (+ (pages max_stable_memory) 1)))  (expect reply (i64 -1))
(update "grow" (arg i64 (pages max_stable_memory)))        (expect reply (i64 0))
(update "last8")                (expect reply (i64 0x5ab1e))
(update "grow" (arg i64 1))     (expect reply (i64 -1))
(update "grow" (arg i64 0))     (expect reply (i64 (pages max_stable_memory)))
(query "size")                  (expect reply (i64 (pages max_stable_memory)))
