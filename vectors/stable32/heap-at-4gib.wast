(vector "with a full 4 GiB heap the 32-bit API reaches the last heap byte, and src+size or dst+size past 2^32 traps"
  (rules SM32-WRITE-3 SM32-READ-3 EDGE-OVF COPY-4 LIM-HEAP-1)
  (tags boundary)
  (notes "Under the IC profiles the heap ends at 2^32: the last byte is at"
         "0xffffffff and 0xffffffff + 2 wraps to 1 in 32 bits, which a"
         "naive check accepts. Under small-limits the heap maximum is"
         "smaller and the same steps check its end. Growing the heap to its"
         "maximum allocates nothing until written on the reference."))

(module $c
  (memory 1)
  (data (i32.const 100) "XY")
  (func (export "canister_init")
    (drop (call $ic0.stable_grow (i32.const 1)))
    (call $ic0.stable_write (i32.const 0) (i32.const 100) (i32.const 2)))
  (func (export "canister_update grow-heap")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  ;; argument: heap dst (i32), size (i32); stable 0.. to heap dst..
  (func (export "canister_update read32")
    (call $ic0.stable_read (call $arg_i32 (i32.const 0)) (i32.const 0)
                           (call $arg_i32 (i32.const 4)))
    (call $reply_empty))
  ;; argument: heap src (i32), size (i32); heap src.. to stable 8..
  (func (export "canister_update write32")
    (call $ic0.stable_write (i32.const 8) (call $arg_i32 (i32.const 0))
                            (call $arg_i32 (i32.const 4)))
    (call $reply_empty))
  ;; argument: heap address (i32): the byte there
  (func (export "canister_query heap-byte")
    (call $reply_i32 (i32.load8_u (call $arg_i32 (i32.const 0)))))
  ;; stable byte 8
  (func (export "canister_query stable-byte8")
    (call $ic0.stable_read (i32.const 200) (i32.const 8) (i32.const 1))
    (call $reply_i32 (i32.load8_u (i32.const 200)))))

(install $c)
(update "grow-heap" (arg i32 (- (pages max_heap_wasm32) 1)))  (expect reply (i32 1))
;; the last heap byte gets "X"
(update "read32" (arg (i32 (- max_heap_wasm32 1)) (i32 1)))  (expect reply)
(query "heap-byte" (arg i32 (- max_heap_wasm32 1)))          (expect reply (i32 88))
;; two bytes from there pass the end: nothing lands
(update "read32" (arg (i32 0xffffffff) (i32 2)))              (expect trap heap-out-of-bounds)
(update "read32" (arg (i32 (- max_heap_wasm32 1)) (i32 2)))   (expect trap heap-out-of-bounds)
(update "read32" (arg (i32 (- max_heap_wasm32 1)) (i32 0)))   (expect reply)
;; the same for the source of a write
(update "write32" (arg (i32 (- max_heap_wasm32 1)) (i32 1)))  (expect reply)
(query "stable-byte8")                                        (expect reply (i32 88))
(update "write32" (arg (i32 0xffffffff) (i32 2)))             (expect trap heap-out-of-bounds)
(update "write32" (arg (i32 (- max_heap_wasm32 1)) (i32 2)))  (expect trap heap-out-of-bounds)
(query "heap-byte" (arg i32 (- max_heap_wasm32 1)))           (expect reply (i32 88))
