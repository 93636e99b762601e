(vector "128-bit results are 16 little-endian bytes and need all 16 inside the heap"
  (rules COPY-3)
  (tags boundary copy))

(module $c
  (memory 1)
  ;; argument: dst i32
  (func (export "canister_update balance")
    (local $dst i32)
    (local.set $dst (call $arg_i32 (i32.const 0)))
    (call $ic0.canister_cycle_balance128 (local.get $dst))
    ;; the heap's last 16 bytes, where the in-bounds case writes: replying
    ;; them never traps, so a trap can only come from the call under test
    (call $reply_data (i32.const 65520) (i32.const 16)))
  (func (export "canister_query last16")
    (call $reply_data (i32.const 65520) (i32.const 16))))

(install $c)
;; low 64 bits first, then the high 64 bits
(update "balance" (arg i32 65520))  (expect reply (i64 cycle_balance) (i64 0))
(query "last16")                    (expect reply (i64 cycle_balance) (i64 0))
(update "balance" (arg i32 65521))  (expect trap heap-out-of-bounds)
(update "balance" (arg i32 0xFFFFFFF8))  (expect trap heap-out-of-bounds)
