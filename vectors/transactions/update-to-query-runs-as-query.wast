(vector "an update call to a query method runs it as a replicated query: in the query context, under any method name length"
  (rules TXN-7 CTX-1)
  (tags transactions availability)
  (notes "An update call that names a canister_query method runs that method"
         "replicated, in the query context, where ic0.certified_data_set is"
         "not available. The method names are longer than 32 bytes so a model"
         "that builds the export name in a short buffer loses the method."))

(module $c
  (memory 1)
  (data (i32.const 100) "ok")
  (func (export "canister_query certify-from-a-query")
    (call $ic0.certified_data_set (i32.const 100) (i32.const 2))
    (call $ic0.msg_reply))
  (func (export "canister_query a-query-method-whose-name-is-longer-than-thirty-two-bytes")
    (call $reply_i32 (i32.const 7))))

(install $c)
;; certified_data_set is not available in a (replicated) query
(update "certify-from-a-query")         (expect trap not-allowed-in-this-context)
(replicated-query "certify-from-a-query") (expect trap not-allowed-in-this-context)
;; a long method name is found whichever way the query is called
(update "a-query-method-whose-name-is-longer-than-thirty-two-bytes")
(expect reply (i32 7))
(replicated-query "a-query-method-whose-name-is-longer-than-thirty-two-bytes")
(expect reply (i32 7))
(query "a-query-method-whose-name-is-longer-than-thirty-two-bytes")
(expect reply (i32 7))
