(vector "regression dfinity/internet-identity#433: the 32-bit stable_size traps once stable memory passes 4 GiB, while stable64_size answers"
  (rules SM32-SIZE-2 EDGE-4G SM64-GROW-1)
  (tags regression stable32 boundary)
  (notes "dfinity/internet-identity#433 (2021): a leftover 32-bit stable_size"
         "call trapped once the canister's stable memory grew past 4 GiB"
         "through the 64-bit API. That trap is the specified behaviour (the"
         "canister had to move to stable64_size); a runtime that truncates"
         "the size to 32 bits instead answers 1 here. 4 GiB is the profile's"
         "max_stable_memory_32."))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size)))
  (func (export "canister_query size64")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(update "grow" (arg i64 (pages max_stable_memory_32)))  (expect reply (i64 0))
(query "size32")    (expect reply (i32 (pages max_stable_memory_32)))
(update "grow" (arg i64 1))   (expect reply (i64 (pages max_stable_memory_32)))
(query "size32")    (expect trap stable-too-big-for-32-bit)
(query "size64")    (expect reply (i64 (+ (pages max_stable_memory_32) 1)))
