(vector "data_certificate_present is 0 in replicated executions, which never carry a certificate"
  (rules MSG-CERT-1)
  (tags messages ambiguous)
  (notes "The spec (\"Certified data\", and data_certificate_present in"
         "\"Abstract behavior\": 0 when the execution has no certificate)"
         "gives a certificate only to non-replicated query calls, so an"
         "update and a query run replicated see 0; a query call sees 1 where"
         "the runtime issues certificates (reading certificate-present of"
         "MSG-CERT-1) and 0 where it does not. A value is left on the stack"
         "just before each call, so a result that is never written shows."))

(module $c
  (memory 1)
  (func $present (result i32)
    (drop (call $ic0.msg_arg_data_size)) ;; 4: the argument's size
    (call $ic0.data_certificate_present))
  (func (export "canister_update present")
    (call $reply_i32 (call $present)))
  (func (export "canister_query present-in-query")
    (call $reply_i32 (call $present))))

(install $c)
(update "present" (arg i32 7))                      (expect reply (i32 0))
(replicated-query "present-in-query" (arg i32 7))   (expect reply (i32 0))
(query "present-in-query" (arg i32 7))
(expect one-of
  (no-certificate reply (i32 0))
  (certificate-present reply (i32 1)))
