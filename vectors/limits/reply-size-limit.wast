(vector "a reply of exactly the maximum response size succeeds, one byte more traps"
  (rules LIM-MSG-1 MSG-REPLY-APPEND-1)
  (tags boundary)
  (notes "max_reply_size for updates (replicated), max_query_reply_size for"
         "non-replicated queries. The reply is appended in two halves from"
         "a heap smaller than the reply."))

(module $c
  (memory 32)
  (func $append_total (param $total i32)
    (local $half i32)
    (local.set $half (i32.shr_u (local.get $total) (i32.const 1)))
    (call $ic0.msg_reply_data_append (i32.const 0) (local.get $half))
    (call $ic0.msg_reply_data_append
      (i32.const 0) (i32.sub (local.get $total) (local.get $half))))
  ;; argument: the reply's total size
  (func (export "canister_update reply-update")
    (call $append_total (call $arg_i32 (i32.const 0)))
    (call $ic0.msg_reply))
  (func (export "canister_query reply-query")
    (call $append_total (call $arg_i32 (i32.const 0)))
    (call $ic0.msg_reply)))

(install $c)
(update "reply-update" (arg i32 max_reply_size))              (expect reply)
(update "reply-update" (arg i32 (+ max_reply_size 1)))        (expect trap contract-violation)
(query "reply-query" (arg i32 max_query_reply_size))         (expect reply)
(query "reply-query" (arg i32 (+ max_query_reply_size 1)))   (expect trap contract-violation)
