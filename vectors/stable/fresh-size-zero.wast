(vector "a fresh canister's stable memory is empty under both APIs"
  (rules SM-2 SM64-SIZE-1 SM32-SIZE-1)
  (tags basic))

(module $c
  (memory 1)
  (func (export "canister_query size64")
    (call $reply_i64 (call $ic0.stable64_size)))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
(query "size64")  (expect reply (i64 0))
(query "size32")  (expect reply (i32 0))
