(vector "fixed-width parameters keep their width in a memory64 canister: 128-bit cycles as two i64, time as i64, reject code as i32"
  (rules W64-2)
  (tags wasm64))

(module $c
  (memory i64 1)
  (func (export "canister_query balance")
    ;; writes 16 bytes at an I = i64 address: low half, then high half
    (call $ic0.canister_cycle_balance128 (i64.const 64))
    (call $ic0.msg_reply_data_append (i64.const 64) (i64.const 16))
    (call $append_i32 (i32.wrap_i64 (i64.div_u (call $ic0.time)
                                               (call $ic0.time))))
    (call $append_i32 (call $ic0.canister_status))
    (call $ic0.msg_reply)))

(install $c)
(query "balance")
(expect reply (i64 cycle_balance) (i64 0) (i32 1) (i32 1))
