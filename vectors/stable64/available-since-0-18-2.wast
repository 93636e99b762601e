(vector "the 64-bit stable API exists in every profile, from 0.18.2 on, next to the 32-bit one"
  (rules SM64-HIST-1 SM64-SIZE-1 SM32-SIZE-1)
  (tags basic)
  (notes "Every profile (the oldest is ic-2021, after 0.18.2) has"
         "feature.stable64; a module importing both APIs installs."))

(module $c
  (memory 1)
  (func (export "canister_update grow-both")
    (call $append_i32 (call $ic0.stable_grow (i32.const 1)))
    (call $append_i64 (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.msg_reply))
  (func (export "canister_query sizes")
    (call $append_i32 (call $ic0.stable_size))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.msg_reply)))

(install $c)
(update "grow-both")  (expect reply (i32 0) (i64 1))
(query "sizes")       (expect reply (i32 2) (i64 2))
