(vector "regression caffeinelabs/motoko#6307: stable64_grow by 2^64 - size + k returns -1 and neither wraps nor shrinks stable memory"
  (rules SM64-GROW-3 SM64-GROW-4 EDGE-OVF)
  (tags regression stable64 overflow)
  (notes "caffeinelabs/motoko#6307 (open, 2026-08-16): Motoko's generated"
         "stableMemoryGrow computed size + pages with a wrapping add, so"
         "pages = 2^64 - size + k passed the maximum check and set the size"
         "to k (a shrink). The System API must not do the same: a runtime"
         "that adds modulo 2^64 answers the old size 3 to 2^64 - 2 (size 3,"
         "k = 1), the size then reads 1 instead of 3 and the word written"
         "at page 2 is gone."))

(module $c
  (memory 1)
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 3)))
    (i64.store (i32.const 100) (i64.const 0x6307))
    (call $ic0.stable64_write (i64.const 131072) (i64.const 100) (i64.const 8)))
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query state")
    (call $ic0.stable64_read (i64.const 200) (i64.const 131072) (i64.const 8))
    (call $append_i64 (call $ic0.stable64_size))
    (call $append_i64 (i64.load (i32.const 200)))
    (call $ic0.msg_reply)))

(install $c)
(update "grow" (arg i64 (- 0 2)))      (expect reply (i64 -1))
(update "grow" (arg i64 (- 0 1)))      (expect reply (i64 -1))
(update "grow" (arg i64 (- 0 3)))      (expect reply (i64 -1))
(query "state")                        (expect reply (i64 3) (i64 0x6307))
(update "grow" (arg i64 0))            (expect reply (i64 3))
