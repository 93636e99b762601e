(vector "the initial heap is WebAssembly instantiation: the declared pages with the data segments applied"
  (rules EDGE-INITMEM HEAP-10)
  (tags lifecycle ambiguous)
  (notes "The newest formal text starts from an empty wasm_memory; the"
         "spec-intended reading (and every runtime) instantiates the module:"
         "minimum pages, then active data segments."))

(module $c
  (memory 2)
  (data (i32.const 0x10) "first")
  (data (i32.const 0x1fffb) "last!")
  (func (export "canister_query size")
    (call $reply_i32 (memory.size)))
  (func (export "canister_query data")
    (call $ic0.msg_reply_data_append (i32.const 0x10) (i32.const 5))
    (call $ic0.msg_reply_data_append (i32.const 0x1fffb) (i32.const 5))
    (call $ic0.msg_reply)))

(install $c)
(query "size")  (expect reply (i32 2))
(query "data")  (expect reply (text "firstlast!"))
