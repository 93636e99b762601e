(vector "a fresh heap is the module's memory as WebAssembly instantiates it: the declared pages and the data segments"
  (rules EDGE-INITMEM HEAP-10 INST-1)
  (tags lifecycle ambiguous)
  (notes "The newest formal text starts install with an empty heap and"
         "ignores data segments; the prose and the Wasm semantics give the"
         "declared minimum and the segments."))

(module $c
  (memory 3)
  (data (i32.const 131070) "edge")
  (func (export "canister_query report")
    (call $append_i32 (memory.size))
    (call $ic0.msg_reply_data_append (i32.const 131070) (i32.const 4))
    (call $ic0.msg_reply)))

(install $c)
(query "report")
(expect one-of
  (wasm-instantiation reply (i32 3) (text "edge"))
  (formal-empty-heap trap heap-out-of-bounds))
