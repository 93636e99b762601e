(vector "once stable memory exceeds the 32-bit API's 4 GiB, every 32-bit call traps"
  (rules SM32-4G-1 SM32-SIZE-2 SM32-GROW-2 SM32-READ-2 EDGE-4G)
  (tags boundary)
  (notes "The 4 GiB boundary is the profile's max_stable_memory_32 (4 GiB on"
         "the IC; a few pages under small-limits). The 64-bit API keeps"
         "working."))

(module $c
  (memory 1)
  (func (export "canister_update grow64")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size)))
  (func (export "canister_query grow32-zero")
    (call $reply_i32 (call $ic0.stable_grow (i32.const 0))))
  ;; a read well inside the first page
  (func (export "canister_query read32")
    (call $ic0.stable_read (i32.const 16) (i32.const 0) (i32.const 8))
    (call $reply_data (i32.const 16) (i32.const 8)))
  (func (export "canister_query size64")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(update "grow64" (arg i64 (+ (pages max_stable_memory_32) 1)))
(expect reply (i64 0))
(query "size32")      (expect trap stable-too-big-for-32-bit)
(query "grow32-zero") (expect trap stable-too-big-for-32-bit)
(query "read32")      (expect trap stable-too-big-for-32-bit)
(query "size64")      (expect reply (i64 (+ (pages max_stable_memory_32) 1)))
