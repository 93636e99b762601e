(vector "without a memory, a zero-length range at address 0 works under the newest text and traps under the older one"
  (rules COPY-6 EDGE-NOMEM MOD-MEM-4)
  (tags copy ambiguous)
  (notes "Readings as in reading.memoryless_heap. empty: the newest formal"
         "text's heap is an empty blob, so [0, 0) is in bounds. trap: the"
         "older text (MOD-MEM-4), where any call that accesses the memory"
         "traps when the module has none."))

(module $c
  (func (export "canister_query append-nothing")
    (call $ic0.msg_reply_data_append (i32.const 0) (i32.const 0))
    (call $ic0.msg_reply)))

(install $c)
(query "append-nothing")
(expect one-of
  (empty reply)
  (trap trap heap-out-of-bounds))
