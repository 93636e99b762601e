(vector "above 4 GiB stable_write traps even for a range in the first page, and writes nothing"
  (rules SM32-WRITE-2 SM32-4G-1 EDGE-4G TXN-1)
  (tags boundary))

(module $c
  (memory 1)
  (global $writes (mut i64) (i64.const 0))
  (data (i32.const 100) "32-bit")
  (func (export "canister_update grow64")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  ;; counts itself first, then writes 6 bytes at stable 0
  (func (export "canister_update write32")
    (global.set $writes (i64.add (global.get $writes) (i64.const 1)))
    (call $ic0.stable_write (i32.const 0) (i32.const 100) (i32.const 6))
    (call $reply_empty))
  ;; committed writes, stable size, stable [0, 6) through the 64-bit API
  (func (export "canister_query state")
    (call $append_i64 (global.get $writes))
    (call $append_i64 (call $ic0.stable64_size))
    (call $ic0.stable64_read (i64.const 200) (i64.const 0) (i64.const 6))
    (call $ic0.msg_reply_data_append (i32.const 200) (i32.const 6))
    (call $ic0.msg_reply)))

(install $c)
;; at exactly 4 GiB the write works
(update "grow64" (arg i64 (pages max_stable_memory_32)))  (expect reply (i64 0))
(update "write32")  (expect reply)
(query "state")
(expect reply (i64 1) (i64 (pages max_stable_memory_32)) (text "32-bit"))
;; one page more and it traps; the 64-bit API sees nothing changed
(update "grow64" (arg i64 1))  (expect reply (i64 (pages max_stable_memory_32)))
(update "write32")  (expect trap stable-too-big-for-32-bit)
(query "state")
(expect reply (i64 1) (i64 (+ (pages max_stable_memory_32) 1)) (text "32-bit"))
