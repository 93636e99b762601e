(vector "certified_data_set takes up to max_certified_data bytes; one byte more fails the message"
  (rules MSG-CERT-1 EDGE-CERT32 TXN-1)
  (tags messages boundary ambiguous)
  (notes "The prose says the data must be no larger than 32 bytes and the"
         "replica traps; the formal model has no check and would accept it."))

(module $c
  (memory 1)
  (global $sets (mut i64) (i64.const 0))
  (func (export "canister_update certify")
    (global.set $sets (i64.add (global.get $sets) (i64.const 1)))
    (call $ic0.certified_data_set (i32.const 100) (call $arg_i32 (i32.const 0)))
    (call $reply_empty))
  (func (export "canister_query sets")
    (call $reply_i64 (global.get $sets))))

(install $c)
(update "certify" (arg i32 0))                         (expect reply)
(update "certify" (arg i32 max_certified_data))        (expect reply)
(update "certify" (arg i32 (+ max_certified_data 1)))
(expect one-of
  (prose trap contract-violation)
  (formal reply))
(query "sets")
(expect one-of
  (prose reply (i64 2))
  (formal reply (i64 3)))
