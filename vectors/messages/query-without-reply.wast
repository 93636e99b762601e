(vector "a query that returns without replying gets no reply, and its changes are discarded like any query's"
  (rules MSG-RESP-3 TXN-7)
  (tags messages queries))

(module $c
  (memory 1)
  (global $counter (mut i64) (i64.const 0))
  (func (export "canister_query silent")
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (i64.store (i32.const 300) (i64.const 5)))
  (func (export "canister_query state")
    (call $append_i64 (global.get $counter))
    (call $append_i64 (i64.load (i32.const 300)))
    (call $ic0.msg_reply)))

(install $c)
(query "silent")              (expect no-reply)
(replicated-query "silent")   (expect no-reply)
(query "state")               (expect reply (i64 0) (i64 0))
