(vector "stable64_write and stable64_read work across the 4 GiB offset, where the 32-bit API ends"
  (rules SM64-WRITE-1 SM64-READ-1 EDGE-4G SM32-4G-1)
  (tags boundary)
  (notes "The 4 GiB mark is the profile's max_stable_memory_32 (4 GiB on the"
         "IC, a few pages under small-limits). Sixteen bytes are written so"
         "that half of them lie on each side of it."))

(module $c
  (memory 1)
  (data (i32.const 100) "below4G!above4G!")
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  ;; argument: the stable offset (i64)
  (func (export "canister_update write16")
    (call $ic0.stable64_write (call $arg_i64 (i32.const 0)) (i64.const 100)
                              (i64.const 16))
    (call $reply_empty))
  (func (export "canister_query read16")
    (call $ic0.stable64_read (i64.const 200) (call $arg_i64 (i32.const 0))
                             (i64.const 16))
    (call $reply_data (i32.const 200) (i32.const 16)))
  (func (export "canister_query size32")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
;; exactly 4 GiB: a write across the mark does not fit yet
(update "grow" (arg i64 (pages max_stable_memory_32)))       (expect reply (i64 0))
(update "write16" (arg i64 (- max_stable_memory_32 8)))       (expect trap stable-out-of-bounds)
(update "write16" (arg i64 (- max_stable_memory_32 16)))      (expect reply)
(query "size32")  (expect reply (i32 (pages max_stable_memory_32)))
;; one page more: the 64-bit API reaches past 4 GiB; the 32-bit API is gone
(update "grow" (arg i64 1))  (expect reply (i64 (pages max_stable_memory_32)))
(update "write16" (arg i64 (- max_stable_memory_32 8)))       (expect reply)
(query "read16" (arg i64 (- max_stable_memory_32 8)))
(expect reply (text "below4G!above4G!"))
;; the earlier write below the mark is partly overwritten, not moved
(query "read16" (arg i64 (- max_stable_memory_32 16)))
(expect reply (text "below4G!below4G!"))
(query "size32")  (expect trap stable-too-big-for-32-bit)
