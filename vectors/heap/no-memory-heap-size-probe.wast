(vector "the heap of a canister without memory is 0 pages, before and after an upgrade to one with memory and back"
  (rules EDGE-NOMEM HEAP-2)
  (tags heap no-memory probes)
  (notes "White-box: the probe reads the model's heap size."))

(module $none
  (func (export "canister_query hello") (call $ic0.msg_reply)))

(module $two
  (memory 2)
  (func (export "canister_query hello") (call $ic0.msg_reply)))

(install $none)
(probe heap-size)    (expect reply (i64 0))
(upgrade $two)
(probe heap-size)    (expect reply (i64 2))
(upgrade $none)
(probe heap-size)    (expect reply (i64 0))
