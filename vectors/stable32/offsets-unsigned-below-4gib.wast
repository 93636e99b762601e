(vector "at exactly 4 GiB the 32-bit API reaches the last stable byte with offsets above 2^31; offset+size past 2^32 traps"
  (rules EDGE-4G EDGE-OVF SM32-WRITE-3 SM32-READ-3 SM-4)
  (tags boundary)
  (notes "On the IC the last 8 bytes start at offset 0xfffffff8, negative as"
         "a signed i32: the API reads offsets as unsigned. Offset"
         "0xfffffff9 with size 8 ends at 2^32 + 1, which wraps to 1 in 32"
         "bits. Under small-limits the same steps use the profile's"
         "smaller 4 GiB mark."))

(module $c
  (memory 1)
  (data (i32.const 100) "lastbyte")
  (func (export "canister_update grow32")
    (call $reply_i32 (call $ic0.stable_grow (call $arg_i32 (i32.const 0)))))
  ;; argument: stable offset (i32); 8 bytes from heap 100
  (func (export "canister_update write32")
    (call $ic0.stable_write (call $arg_i32 (i32.const 0)) (i32.const 100)
                            (i32.const 8))
    (call $reply_empty))
  ;; argument: stable offset (i32); 8 bytes from there
  (func (export "canister_query read32")
    (call $ic0.stable_read (i32.const 200) (call $arg_i32 (i32.const 0))
                           (i32.const 8))
    (call $reply_data (i32.const 200) (i32.const 8)))
  ;; the same bytes through the 64-bit API
  (func (export "canister_query read64")
    (call $ic0.stable64_read (i64.const 200) (call $arg_i64 (i32.const 0))
                             (i64.const 8))
    (call $reply_data (i32.const 200) (i32.const 8))))

(install $c)
(update "grow32" (arg i32 (pages max_stable_memory_32)))  (expect reply (i32 0))
(update "write32" (arg i32 (- max_stable_memory_32 8)))   (expect reply)
(query "read32" (arg i32 (- max_stable_memory_32 8)))     (expect reply (text "lastbyte"))
(query "read64" (arg i64 (- max_stable_memory_32 8)))     (expect reply (text "lastbyte"))
;; one byte further: out of bounds, nothing written
(update "write32" (arg i32 (- max_stable_memory_32 7)))   (expect trap stable-out-of-bounds)
(query "read32" (arg i32 (- max_stable_memory_32 7)))     (expect trap stable-out-of-bounds)
(query "read64" (arg i64 (- max_stable_memory_32 8)))     (expect reply (text "lastbyte"))
;; 0xffffffff + 8 wraps to 7 in 32 bits on every profile
(update "write32" (arg i32 0xffffffff))  (expect trap stable-out-of-bounds)
(query "read64" (arg i64 0))             (expect reply (bytes "\00\00\00\00\00\00\00\00"))
