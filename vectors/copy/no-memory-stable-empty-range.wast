(vector "without a memory, stable64_write and stable64_read of zero bytes at 0: empty heap or trap"
  (rules COPY-6 EDGE-NOMEM MOD-MEM-4)
  (tags copy ambiguous)
  (notes "Readings as in reading.memoryless_heap (see no-memory-empty-range)."))

(module $c
  (func (export "canister_update write-nothing")
    (call $ic0.stable64_write (i64.const 0) (i64.const 0) (i64.const 0))
    (call $ic0.stable64_read (i64.const 0) (i64.const 0) (i64.const 0))
    (call $ic0.msg_reply)))

(install $c)
(update "write-nothing")
(expect one-of
  (empty reply)
  (trap trap heap-out-of-bounds))
