(vector "memory64 System API calls take heap addresses above 4 GiB without truncation"
  (rules W64-1 LIM-HEAP-2)
  (tags wasm64 boundary)
  (notes "The heap is grown to max_heap_wasm64 (6 GiB in ic-current) and the"
         "argument is copied to its last bytes: a runtime that truncated"
         "the address to 32 bits would put it elsewhere, and the plain load"
         "of the last bytes would not see it."))

(module $c
  (memory i64 1)
  (func $end (result i64) (i64.mul (memory.size) (i64.const 65536)))
  (func (export "canister_update grow-to-max")
    (call $reply_i64 (memory.grow (i64.sub (call $arg_i64 (i32.const 0))
                                           (memory.size)))))
  ;; copy the 8-byte argument to the last 8 heap bytes, reply from there
  (func (export "canister_update echo-at-end")
    (call $ic0.msg_arg_data_copy (i64.sub (call $end) (i64.const 8))
                                 (i64.const 0) (i64.const 8))
    (call $ic0.msg_reply_data_append (i64.sub (call $end) (i64.const 8))
                                     (i64.const 8))
    (call $ic0.msg_reply))
  ;; the last 8 bytes, read by a plain load: the copy landed there
  (func (export "canister_query last8")
    (call $reply_i64 (i64.load (i64.sub (call $end) (i64.const 8))))))

(install $c)
(update "grow-to-max" (arg i64 (pages max_heap_wasm64)))  (expect reply (i64 1))
(update "echo-at-end" (arg i64 0x0123456789abcdef))
(expect reply (i64 0x0123456789abcdef))
(query "last8")  (expect reply (i64 0x0123456789abcdef))
