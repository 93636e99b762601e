(vector "a wasm64 canister passes 64-bit heap addresses to the System API"
  (rules MOD-MEM-2 W64-1 W64-2)
  (tags module wasm64))

(module $c
  (memory i64 1)
  (data (i64.const 100) "sixty-four")
  (func (export "canister_update roundtrip")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 8) (i64.const 100) (i64.const 10))
    (call $ic0.stable64_read (i64.const 200) (i64.const 8) (i64.const 10))
    (call $ic0.msg_reply_data_append (i64.const 200) (i64.const 10))
    (call $append_i64 (call $arg_i64 (i32.const 0)))
    (call $ic0.msg_reply)))

(install $c)
(update "roundtrip" (arg i64 64))  (expect reply (text "sixty-four") (i64 64))
