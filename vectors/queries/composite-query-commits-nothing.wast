(vector "a composite query runs non-replicated and its heap, global and stable memory changes are discarded"
  (rules TXN-7 TXN-8 CTX-2)
  (tags queries transactions))

;; Without inter-canister calls only the end of the evaluation is visible:
;; nothing is written back.
(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_composite_query bump")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (i64.store (i32.const 100) (i64.const 3))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $append_i64 (global.get $counter))
    (call $append_i32 (call $ic0.in_replicated_execution))
    (call $ic0.msg_reply))
  (func (export "canister_query state")
    (call $append_i64 (global.get $counter))
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.msg_reply)))

(install $c)
(query "bump")     (expect reply (i64 1) (i32 0))
(query "bump")     (expect reply (i64 1) (i32 0))
(query "state")    (expect reply (i64 0) (i64 0) (i64 0))
