(vector "an update call to a query method with a long name (64 bytes) runs that query, replicated, like a short one; a composite query of such a name runs too"
  (rules TXN-7 CTX-2)
  (tags queries boundary)
  (notes "The method name is looked up whole under each prefix"
         "(canister_update, then canister_query); a name much longer than"
         "its prefix must not be cut short. A second query whose name is"
         "the first 32 bytes of the long one shows which method ran. A"
         "query call looks a name up under canister_query, then"
         "canister_composite_query: the long composite query is found"
         "whole as well."))

(module $c
  (memory 1)
  (func (export "canister_query a-method-name-of-sixty-four-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
    (call $append_i32 (i32.const 64))
    (call $append_i32 (call $ic0.in_replicated_execution))
    (call $ic0.msg_reply))
  (func (export "canister_query a-method-name-of-sixty-four-byte")
    (call $append_i32 (i32.const 32))
    (call $append_i32 (call $ic0.in_replicated_execution))
    (call $ic0.msg_reply))
  (func (export "canister_composite_query a-composite-query-name-of-sixty-four-bytes-xxxxxxxxxxxxxxxxxxxxx")
    (call $append_i32 (i32.const 65))
    (call $append_i32 (call $ic0.in_replicated_execution))
    (call $ic0.msg_reply))
  (func (export "canister_update uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu")
    (call $reply_i32 (i32.const 1))))

(install $c)
(update "a-method-name-of-sixty-four-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")   (expect reply (i32 64) (i32 1))
(update "a-method-name-of-sixty-four-byte")   (expect reply (i32 32) (i32 1))
(query "a-method-name-of-sixty-four-bytes-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")    (expect reply (i32 64) (i32 0))
(update "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu")   (expect reply (i32 1))
(query "a-composite-query-name-of-sixty-four-bytes-xxxxxxxxxxxxxxxxxxxxx")    (expect reply (i32 65) (i32 0))
