(vector "a canister without a heap has stable memory; a zero-length copy at heap address 0 is the only heap range it may name"
  (rules EDGE-NOMEM COPY-6 SM-2 SM64-WRITE-2 SM64-READ-2 MOD-MEM-2)
  (tags ambiguous)
  (notes "Newest formal text: the heap of a memoryless module is an empty"
         "blob, so [0, 0) is in bounds. Older formal text: any call that"
         "touches the memory traps without one. Both agree that one byte"
         "traps. I is i32 without a memory, so the 32-bit API exists."))

(module $c
  (func (export "canister_update grow")
    (if (i64.ne (call $ic0.stable64_grow (i64.const 1)) (i64.const 0))
      (then (unreachable)))
    (call $ic0.msg_reply))
  (func (export "canister_update write64-empty")
    (call $ic0.stable64_write (i64.const 0) (i64.const 0) (i64.const 0))
    (call $ic0.msg_reply))
  (func (export "canister_update read32-empty")
    (call $ic0.stable_read (i32.const 0) (i32.const 65536) (i32.const 0))
    (call $ic0.msg_reply))
  (func (export "canister_update write64-one")
    (call $ic0.stable64_write (i64.const 0) (i64.const 0) (i64.const 1))
    (call $ic0.msg_reply))
  (func (export "canister_update read64-one")
    (call $ic0.stable64_read (i64.const 0) (i64.const 0) (i64.const 1))
    (call $ic0.msg_reply))
  ;; traps unless both APIs report one page
  (func (export "canister_query size-is-one-page")
    (if (i64.ne (call $ic0.stable64_size) (i64.const 1)) (then (unreachable)))
    (if (i32.ne (call $ic0.stable_size) (i32.const 1)) (then (unreachable)))
    (call $ic0.msg_reply)))

(install $c)
(update "grow")
(query "size-is-one-page")
(update "write64-empty")
(expect one-of
  (empty reply)
  (trap trap heap-out-of-bounds))
(update "read32-empty")
(expect one-of
  (empty reply)
  (trap trap heap-out-of-bounds))
(update "write64-one")  (expect trap heap-out-of-bounds)
(update "read64-one")   (expect trap heap-out-of-bounds)
(query "size-is-one-page")
