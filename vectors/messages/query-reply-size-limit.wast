(vector "a non-replicated query may reply max_query_reply_size bytes, a replicated one only max_reply_size"
  (rules MSG-REPLY-APPEND-1 LIM-MSG-1 EDGE-RQ-NRQ)
  (tags messages queries boundary))

(module $c
  (memory 1)
  (func (export "canister_query send")
    (local $size i32)
    (local.set $size (call $arg_i32 (i32.const 0)))
    (drop (memory.grow
      (i32.sub
        (i32.shr_u (i32.add (local.get $size) (i32.const 65535)) (i32.const 16))
        (memory.size))))
    (call $ic0.msg_reply_data_append (i32.const 0) (local.get $size))
    (call $ic0.msg_reply)))

(install $c)
(query "send" (arg i32 max_query_reply_size))                    (expect reply)
(query "send" (arg i32 (+ max_query_reply_size 1)))              (expect trap contract-violation)
(replicated-query "send" (arg i32 max_reply_size))               (expect reply)
(replicated-query "send" (arg i32 (+ max_reply_size 1)))         (expect trap contract-violation)
